namespace KvmNovaTuner.Core.Specs;

/// <summary>Reads the <c>quota:</c> keys (CPU, disk, VIF) with Nova's ranges plus the limits libvirt and QEMU enforce.</summary>
internal static class QuotaSpecs
{
    public const string CpuShares = "quota:cpu_shares";
    public const string CpuPeriod = "quota:cpu_period";
    public const string CpuQuota = "quota:cpu_quota";
    public const string DiskPrefix = "quota:disk_";
    public const string VifPrefix = "quota:vif_";

    public static IReadOnlySet<string> Keys { get; } = new HashSet<string>(
        new[] { CpuShares, CpuPeriod, CpuQuota }
            .Concat(SpecKeys.DiskLimitNames.Select(n => DiskPrefix + n))
            .Concat(from d in new[] { "inbound", "outbound" } from p in new[] { "average", "peak", "burst" } select $"{VifPrefix}{d}_{p}"),
        StringComparer.Ordinal);

    public static TuningSpec Read(SpecReader r, TuningSpec spec)
    {
        var cpu = new Dictionary<string, long>(StringComparer.Ordinal);
        Put(cpu, "cpu_shares", r.Long(CpuShares, 0, 262144));
        Put(cpu, "vcpu_period", r.Long(CpuPeriod, 1000, 1000000, "microseconds"));
        var quota = r.Long(CpuQuota, long.MinValue, 17592186044415, "microseconds (negative = unlimited)");
        if (quota is > 0 and < 1000)
        {
            r.Error(CpuQuota, r.Raw(CpuQuota), "is below libvirt's minimum of 1000 microseconds", "use at least 1000, or a negative value for no limit");
            quota = null;
        }
        Put(cpu, "vcpu_quota", quota);

        var disk = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var name in SpecKeys.DiskLimitNames)
        {
            Put(disk, name, r.Long(DiskPrefix + name, 0, long.MaxValue, name.Contains("bytes", StringComparison.Ordinal) ? "bytes/s" : "IO/s"));
        }
        DiskRules.CheckTotalExclusive(r, disk, DiskPrefix, string.Empty);

        return spec with
        {
            CpuQuota = cpu,
            DiskQuota = disk,
            Inbound = Vif(r, "inbound"),
            Outbound = Vif(r, "outbound"),
        };
    }

    public static void Put(Dictionary<string, long> target, string name, long? value)
    {
        if (value is { } v)
        {
            target[name] = v;
        }
    }

    private static VifBandwidth? Vif(SpecReader r, string direction)
    {
        var key = $"{VifPrefix}{direction}_";
        var average = r.Long(key + "average", 0, int.MaxValue, "kilobytes per second");
        var peak = r.Long(key + "peak", 0, int.MaxValue, "kilobytes per second");
        var burst = r.Long(key + "burst", 0, int.MaxValue, "kilobytes");
        if (average is null && (peak is not null || burst is not null))
        {
            var other = peak is not null ? "peak" : "burst";
            r.Warning(key + other, r.Raw(key + other), $"is ignored: Nova and libvirt apply {direction} bandwidth only when {key}average is set", $"add {key}average");
            return null;
        }
        if (average is { } a && peak is { } p && p < a)
        {
            r.Warning(key + "peak", r.Raw(key + "peak"), $"is below the average {a} kB/s, so the average can never be reached", $"set {key}peak to at least {a}");
        }
        return average is null ? null : new VifBandwidth(average, peak, burst);
    }
}
