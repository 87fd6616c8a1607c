using KvmNovaTuner.Core.Specs;

namespace KvmNovaTuner.Core.HostProfile;

/// <summary>
/// What the tuned flavors a host serves ask of the host: hugepage sizes, pinned or realtime guests, KSM opt-out,
/// dense packing, blkio weights, multi-node guests and network quotas. Derived from extra specs.
/// </summary>
public sealed record FlavorDemand
{
    public static FlavorDemand None { get; } = new();

    /// <summary>True when any flavor was given at all (otherwise fit is not judged).</summary>
    public bool Known { get; init; }
    public IReadOnlySet<long> HugepageSizesKb { get; init; } = new HashSet<long>();
    public bool Pinned { get; init; }
    public bool Realtime { get; init; }
    public bool KsmOff { get; init; }
    public bool Dense { get; init; }
    public bool BlkioWeight { get; init; }
    public int MaxGuestNumaNodes { get; init; }
    public bool NetworkQuota { get; init; }

    /// <summary>The demand of a set of flavors, each given by its extra specs.</summary>
    public static FlavorDemand FromExtraSpecs(IEnumerable<IReadOnlyDictionary<string, string>> flavors)
    {
        var sizes = new HashSet<long>();
        var demand = new FlavorDemand { Known = true };
        foreach (var specs in flavors)
        {
            string? Get(string key) => specs.TryGetValue(key, out var v) ? v.Trim() : null;
            if (PageSizeKb(Get("hw:mem_page_size")) is { } size)
            {
                sizes.Add(size);
            }
            var policy = Get("hw:cpu_policy");
            // Nova's boolean words throughout (tuner:ksm=0 is as much an opt-out as tuner:ksm=off).
            var realtime = SpecReader.ParseBoolean(Get("hw:cpu_realtime")) == true;
            var ksm = SpecReader.ParseBoolean(Get("tuner:ksm"));
            demand = demand with
            {
                Pinned = demand.Pinned || policy is "dedicated" or "mixed",
                Realtime = demand.Realtime || realtime,
                KsmOff = demand.KsmOff || ksm == false,
                Dense = demand.Dense || ksm == true,
                BlkioWeight = demand.BlkioWeight || Get("tuner:blkio_weight") is not null,
                MaxGuestNumaNodes = Math.Max(demand.MaxGuestNumaNodes, int.TryParse(Get("hw:numa_nodes"), out var n) ? n : 1),
                NetworkQuota = demand.NetworkQuota || specs.Keys.Any(k => k.StartsWith("quota:vif_", StringComparison.Ordinal)),
            };
        }
        return demand with { HugepageSizesKb = sizes };
    }

    /// <summary>Page size in KiB for an explicit <c>hw:mem_page_size</c> (<c>2MB</c>, <c>1GB</c>, <c>2048</c>); null for none, any, small, large.</summary>
    public static long? PageSizeKb(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var v = value.Trim().ToUpperInvariant();
        (string digits, long factor) = v switch
        {
            _ when v.EndsWith("KB", StringComparison.Ordinal) => (v[..^2], 1L),
            _ when v.EndsWith("MB", StringComparison.Ordinal) => (v[..^2], 1024L),
            _ when v.EndsWith("GB", StringComparison.Ordinal) => (v[..^2], 1024L * 1024),
            _ when v.EndsWith('K') => (v[..^1], 1L),
            _ when v.EndsWith('M') => (v[..^1], 1024L),
            _ when v.EndsWith('G') => (v[..^1], 1024L * 1024),
            _ => (v, 1L),
        };
        return long.TryParse(digits, out var number) && number > 0 ? number * factor : null;
    }
}
