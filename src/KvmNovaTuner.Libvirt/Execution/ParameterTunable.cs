using System.Globalization;

namespace KvmNovaTuner.Libvirt.Execution;

/// <summary>
/// A live kind whose settings are libvirt typed parameters (scheduler, blkio, block IO tune, memory, NUMA).
/// Values cross this boundary as libvirt's own text, translated only where libvirt's API and its XML differ
/// (memory "unlimited", NUMA mode names).
/// </summary>
internal sealed class ParameterTunable(
    Func<LibvirtDomain, ActionTarget, DomainImpact, IReadOnlyList<TypedParameterValue>> get,
    Action<LibvirtDomain, ActionTarget, IReadOnlyList<TypedParameterValue>, DomainImpact> set) : ILiveTunable
{
    /// <summary>VIR_DOMAIN_MEMORY_PARAM_UNLIMITED.</summary>
    private const string UnlimitedNumber = "9007199254740991";

    private static readonly string[] NumaModes = ["strict", "preferred", "interleave", "restrictive"];

    public static ParameterTunable Scheduler { get; } = new(
        (d, _, i) => d.GetSchedulerParameters(i), (d, _, v, i) => d.SetSchedulerParameters(v, i));

    public static ParameterTunable Blkio { get; } = new(
        (d, _, i) => d.GetBlkioParameters(i), (d, _, v, i) => d.SetBlkioParameters(v, i));

    public static ParameterTunable Memory { get; } = new(
        (d, _, i) => d.GetMemoryParameters(i), (d, _, v, i) => d.SetMemoryParameters(v, i));

    public static ParameterTunable Numa { get; } = new(
        (d, _, i) => d.GetNumaParameters(i), (d, _, v, i) => d.SetNumaParameters(v, i));

    public static ParameterTunable BlockIoTune { get; } = new(
        (d, t, i) => d.GetBlockIoTune(Disk(t), i), (d, t, v, i) => d.SetBlockIoTune(Disk(t), v, i));

    private static string Disk(ActionTarget target) =>
        target.Part == "disk" ? target.Id! : throw new FormatException($"target '{target}' does not end in /disk/DEV");

    public IReadOnlyDictionary<string, string> Read(LibvirtDomain domain, ActionTarget target, IReadOnlyDictionary<string, string> wanted, DomainImpact impact)
    {
        var reported = get(domain, target, impact).ToDictionary(p => p.Name, p => FromLibvirt(p.Name, p.Value), StringComparer.Ordinal);
        return wanted.Keys.ToDictionary(k => k, k => reported.GetValueOrDefault(k, ""), StringComparer.Ordinal);
    }

    public void Write(LibvirtDomain domain, ActionTarget target, IReadOnlyDictionary<string, string> settings, DomainImpact impact)
    {
        var values = settings.ToDictionary(s => s.Key, s => ToLibvirt(s.Key, s.Value), StringComparer.Ordinal);
        // Getters take one definition only (live and config together are refused); the current one gives the types.
        set(domain, target, TypedParameterValue.Shape(values, get(domain, target, DomainImpact.Current)), impact);
    }

    private static string FromLibvirt(string name, string value) => name switch
    {
        "hard_limit" or "soft_limit" or "swap_hard_limit" when value == UnlimitedNumber => "unlimited",
        "numa_mode" when int.TryParse(value, CultureInfo.InvariantCulture, out var mode) && mode >= 0 && mode < NumaModes.Length => NumaModes[mode],
        _ => value,
    };

    private static string ToLibvirt(string name, string value) => name switch
    {
        "hard_limit" or "soft_limit" or "swap_hard_limit" when value == "unlimited" => UnlimitedNumber,
        "numa_mode" when Array.IndexOf(NumaModes, value) is var mode and >= 0 => mode.ToString(CultureInfo.InvariantCulture),
        _ => value,
    };
}
