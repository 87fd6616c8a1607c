namespace KvmNovaTuner.Libvirt.Testing;

/// <summary>
/// What a Nova-style test-driver domain carries (<see cref="TestDriverHostXml.Domain(NovaStyleDomain)"/>): the
/// identity and flavor Nova writes into its metadata, the vCPUs and memory, the disk format and the tap.
/// <see cref="CpuTune"/> is the inner XML of <c>&lt;cputune&gt;</c> (quota and pins Nova wrote), empty for none.
/// </summary>
public sealed record NovaStyleDomain(string Name, string Uuid)
{
    public string DisplayName { get; init; } = "";
    public string FlavorName { get; init; } = "tuned.medium";
    public string FlavorId { get; init; } = "f-tuned-medium";
    public int MemoryMb { get; init; } = 1024;
    /// <summary>The flavor's root disk in GB, written as <c>nova:disk</c>; null leaves it out.</summary>
    public int? DiskGb { get; init; } = 1;
    public int Vcpus { get; init; } = 2;
    public IReadOnlyDictionary<string, string> ExtraSpecs { get; init; } = new Dictionary<string, string>();
    public string CpuTune { get; init; } = "";
    public string DiskFormat { get; init; } = "raw";
    public string? Mac { get; init; }
    public string? Tap { get; init; }
}
