namespace KvmNovaTuner.HostTuning.Topology;

/// <summary>
/// Where the housekeeping CPUs (for emulator and IO threads) come from: an explicit list from configuration; else
/// Nova's <c>cpu_dedicated_set</c> given here; else read from <see cref="NovaConfPath"/> under the host root.
/// The housekeeping CPUs are then every host CPU outside the dedicated set.
/// </summary>
public sealed record HousekeepingOptions
{
    /// <summary>An explicit CPU list (<c>0-1,16-17</c>); wins over everything else.</summary>
    public string? HousekeepingCpus { get; init; }

    /// <summary>Nova's <c>[compute] cpu_dedicated_set</c> when the caller already knows it.</summary>
    public string? CpuDedicatedSet { get; init; }

    /// <summary>The nova.conf to read <c>[compute] cpu_dedicated_set</c> from (a host path, resolved under the root).</summary>
    public string NovaConfPath { get; init; } = "/etc/nova/nova.conf";
}
