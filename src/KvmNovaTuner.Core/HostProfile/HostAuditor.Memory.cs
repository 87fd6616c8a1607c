namespace KvmNovaTuner.Core.HostProfile;

/// <summary>Rules for transparent hugepages, KSM and hugepage pools.</summary>
public static partial class HostAuditor
{
    private static AuditFinding ThpEnabled(HostFacts facts, FlavorDemand demand)
    {
        const string item = "thp.enabled";
        var mode = SysfsChoice.Parse(facts.ThpEnabledText).Current;
        var latency = demand.Pinned || demand.Realtime;
        return mode switch
        {
            null => new(item, FindingSeverity.Info, "unavailable", null, "the kernel has no transparent hugepages"),
            "always" when latency => new(item, FindingSeverity.Warning, mode, false,
                "THP always: khugepaged collapses and compaction add latency to pinned/realtime guests; use madvise or never"),
            "never" when demand.Dense => new(item, FindingSeverity.Info, mode, false,
                "THP never: dense guests without explicit hugepages lose THP's TLB benefit; madvise lets QEMU ask for it"),
            _ => new(item, FindingSeverity.Ok, mode, Fits(demand, latency || demand.Dense, true), $"THP {mode}"),
        };
    }

    private static AuditFinding ThpDefrag(HostFacts facts, FlavorDemand demand)
    {
        const string item = "thp.defrag";
        var mode = SysfsChoice.Parse(facts.ThpDefragText).Current;
        var latency = demand.Pinned || demand.Realtime;
        return mode switch
        {
            null => new(item, FindingSeverity.Info, "unavailable", null, "the kernel has no THP defrag knob"),
            "always" => new(item, FindingSeverity.Warning, mode, Fits(demand, latency, false),
                "THP defrag always: page faults stall in direct compaction; use madvise, defer or never"),
            _ => new(item, FindingSeverity.Ok, mode, Fits(demand, latency, true), $"THP defrag {mode}"),
        };
    }

    private static AuditFinding Ksm(HostFacts facts, FlavorDemand demand)
    {
        const string item = "ksm";
        if (facts.Ksm is not { } ksm)
        {
            return new(item, demand.Dense ? FindingSeverity.Warning : FindingSeverity.Info, "unavailable",
                Fits(demand, demand.Dense, false), "the kernel has no KSM (CONFIG_KSM)");
        }
        var savedMiB = ksm.PagesSharing * 4 / 1024;
        var value = $"run={ksm.Run} pages_to_scan={ksm.PagesToScan} sleep_millisecs={ksm.SleepMillisecs} " +
                    $"pages_shared={ksm.PagesShared} pages_sharing={ksm.PagesSharing} (~{savedMiB} MiB saved)";
        var optOut = demand.KsmOff || demand.Realtime;
        if (ksm.Run == 1 && optOut)
        {
            return new(item, FindingSeverity.Warning, value, false,
                "KSM runs while flavors ask for tuner:ksm=off or realtime: stop it (run=2) or rely on the KSM controller");
        }
        if (ksm.Run != 1 && demand.Dense)
        {
            return new(item, FindingSeverity.Warning, value, false,
                "KSM is stopped but dense flavors count on page sharing: apply virtual-host-dense");
        }
        return new(item, FindingSeverity.Ok, value, Fits(demand, optOut || demand.Dense, true), ksm.Run == 1 ? "KSM running" : "KSM stopped");
    }

    private static IEnumerable<AuditFinding> HugepagePools(HostFacts facts, FlavorDemand demand)
    {
        foreach (var node in facts.Nodes)
        {
            foreach (var pool in node.Pools)
            {
                var item = $"hugepages.node{node.Id}.{pool.PageSizeKb}kB";
                var value = $"total={pool.Total} free={pool.Free} surplus={pool.Surplus}";
                var wanted = demand.HugepageSizesKb.Contains(pool.PageSizeKb);
                yield return wanted && pool.Total == 0
                    ? new(item, FindingSeverity.Info, value, true,
                        "pool empty but flavors use this size: the pool controller grows it before a boot, within its budget")
                    : new(item, FindingSeverity.Ok, value, Fits(demand, wanted, true), pool.Total > 0 ? "pool reserved" : "no pool reserved");
            }
        }
        foreach (var size in demand.HugepageSizesKb.Order())
        {
            if (!facts.Nodes.Any(n => n.Pools.Any(p => p.PageSizeKb == size)))
            {
                yield return new($"hugepages.{size}kB", FindingSeverity.Error, "unsupported", false,
                    $"flavors ask for {size} kB pages but no NUMA node offers that size (hugepagesz= on the kernel command line)");
            }
        }
    }
}
