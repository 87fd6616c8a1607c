namespace KvmNovaTuner.Core.Specs;

/// <summary>
/// Reads the <c>tuner:</c> namespace. Nova accepts any value under an unregistered namespace, so every rule here is
/// the tuner's own and this is the only place that guards it.
/// </summary>
internal static class TunerSpecs
{
    public const string DiskPrefix = "tuner:disk_";
    public static readonly IReadOnlyList<string> CacheModes = ["none", "writethrough", "writeback", "directsync", "unsafe"];
    public static readonly IReadOnlyList<string> IoModes = ["native", "threads", "io_uring"];
    private static readonly string[] Placements = ["node", "housekeeping", "nova"];
    private static readonly string[] RestartModes = [SpecKeys.RestartOnCreate, "never"];

    /// <summary>Every <c>tuner:</c> key the tuner understands.</summary>
    public static IReadOnlySet<string> Keys { get; } = new HashSet<string>(
        new[]
        {
            SpecKeys.IoThreads, SpecKeys.EmulatorPlacement, SpecKeys.BlkioWeight, SpecKeys.DiskSizeIopsSec, SpecKeys.DiskCache,
            SpecKeys.DiskIo, SpecKeys.Ksm, SpecKeys.SnapshotKeep, SpecKeys.AutoRecover, SpecKeys.Require,
            SpecKeys.RestartToApply,
        }.Concat(SpecKeys.DiskLimitNames.SelectMany(n => new[] { $"{DiskPrefix}{n}_max", $"{DiskPrefix}{n}_max_length" })),
        StringComparer.Ordinal);

    public static TuningSpec Read(SpecReader r, TuningSpec spec)
    {
        var placement = r.Word(SpecKeys.EmulatorPlacement, Placements) is { } p ? Enum.Parse<EmulatorPlacement>(p, ignoreCase: true) : (EmulatorPlacement?)null;
        if (placement is EmulatorPlacement.Node or EmulatorPlacement.Housekeeping && spec.EmulatorThreadsPolicy == EmulatorThreadsPolicy.Isolate)
        {
            r.Warning(SpecKeys.EmulatorPlacement, r.Raw(SpecKeys.EmulatorPlacement), "is ignored for the emulator: hw:emulator_threads_policy=isolate already gives it its own pCPU (IO threads still follow it)",
                "remove one of the two keys");
        }
        var cache = r.Word(SpecKeys.DiskCache, CacheModes);
        var io = r.Word(SpecKeys.DiskIo, IoModes);
        if (io == "native" && cache is not ("none" or "directsync"))
        {
            r.Error(SpecKeys.DiskIo, "native", $"needs the cache mode none or directsync (QEMU refuses native AIO with {(cache is null ? "Nova's host-wide cache mode" : "cache=" + cache)})",
                "set tuner:disk_cache=none (or directsync)");
            io = null;
        }
        var ksm = r.Bool(SpecKeys.Ksm);
        if (ksm == true && spec.MemPageSize is { IsHugepage: true } or { Kind: PageSizeKind.Large })
        {
            r.Warning(SpecKeys.Ksm, r.Raw(SpecKeys.Ksm), "has no effect: KSM never merges hugepages", "remove tuner:ksm or use hw:mem_page_size=small");
        }
        return spec with
        {
            IoThreads = r.Int(SpecKeys.IoThreads, 1, 64),
            EmulatorPlacement = placement,
            BlkioWeight = r.Int(SpecKeys.BlkioWeight, 100, 1000),
            DiskBurst = ReadBurst(r, spec.DiskQuota),
            DiskCache = cache,
            DiskIo = io,
            Ksm = ksm,
            SnapshotKeep = r.Int(SpecKeys.SnapshotKeep, 1, 1000, "snapshots"),
            AutoRecover = r.Bool(SpecKeys.AutoRecover),
            Require = r.Bool(SpecKeys.Require),
            RestartToApply = r.Word(SpecKeys.RestartToApply, RestartModes),
        };
    }

    private static Dictionary<string, long> ReadBurst(SpecReader r, IReadOnlyDictionary<string, long> quota)
    {
        var burst = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in SpecKeys.DiskLimitNames)
        {
            var maxKey = $"{DiskPrefix}{name}_max";
            var max = r.Long(maxKey, 1, long.MaxValue, name.Contains("bytes", StringComparison.Ordinal) ? "bytes/s" : "IO/s");
            var length = r.Long($"{maxKey}_length", 1, 86400, "seconds");
            if (max is { } m)
            {
                if (!quota.TryGetValue(name, out var baseline) || baseline == 0)
                {
                    r.Error(maxKey, r.Raw(maxKey), $"needs the base limit quota:disk_{name} (a burst is a ceiling above a rate)", $"add quota:disk_{name}");
                }
                else if (m < baseline)
                {
                    r.Error(maxKey, r.Raw(maxKey), $"is below the base limit quota:disk_{name}={baseline}", $"set it to at least {baseline}");
                }
                else
                {
                    burst[$"{name}_max"] = m;
                }
            }
            if (length is { } l)
            {
                if (burst.ContainsKey($"{name}_max"))
                {
                    burst[$"{name}_max_length"] = l;
                }
                else
                {
                    r.Error($"{maxKey}_length", r.Raw($"{maxKey}_length"), $"needs a valid {maxKey}", $"add {maxKey}");
                }
            }
        }
        DiskRules.CheckTotalExclusive(r, burst, DiskPrefix, "_max");
        var size = r.Long(SpecKeys.DiskSizeIopsSec, 1, 1L << 30, "bytes");
        if (size is { } s)
        {
            if (quota.Keys.Any(k => k.Contains("iops", StringComparison.Ordinal)))
            {
                burst["size_iops_sec"] = s;
            }
            else
            {
                r.Error(SpecKeys.DiskSizeIopsSec, r.Raw(SpecKeys.DiskSizeIopsSec), "needs an IOPS limit (quota:disk_*_iops_sec): it sets the IO size counted as one operation", "add quota:disk_total_iops_sec");
            }
        }
        return burst;
    }
}
