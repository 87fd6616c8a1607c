namespace KvmNovaTuner.Core.Specs;

/// <summary>QEMU's throttling rules shared by <c>quota:disk_*</c> and the tuner's burst keys.</summary>
internal static class DiskRules
{
    /// <summary>A total limit and a read/write limit of the same unit cannot be set together (QEMU refuses it).</summary>
    public static void CheckTotalExclusive(SpecReader r, IReadOnlyDictionary<string, long> limits, string prefix, string suffix)
    {
        foreach (var unit in new[] { "bytes", "iops" })
        {
            var total = $"total_{unit}_sec{suffix}";
            if (!limits.ContainsKey(total))
            {
                continue;
            }
            foreach (var scope in new[] { "read", "write" })
            {
                var other = $"{scope}_{unit}_sec{suffix}";
                if (limits.ContainsKey(other))
                {
                    r.Error(prefix + other, r.Raw(prefix + other), $"cannot be set together with {prefix}{total} (QEMU refuses total and read/write limits at once)",
                        $"keep either {prefix}{total} or the read/write pair");
                }
            }
        }
    }
}
