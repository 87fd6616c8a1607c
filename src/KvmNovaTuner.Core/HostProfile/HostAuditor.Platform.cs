namespace KvmNovaTuner.Core.HostProfile;

/// <summary>Rules for NUMA layout and balancing, vhost-net and block IO schedulers.</summary>
public static partial class HostAuditor
{
    private static AuditFinding NumaLayout(HostFacts facts, FlavorDemand demand)
    {
        const string item = "numa.nodes";
        var count = facts.Nodes.Count;
        var value = count == 0 ? "unknown" : string.Join(" ", facts.Nodes.Select(n => $"node{n.Id}:cpus={n.CpuList},mem={n.MemTotalKb / 1024}MiB"));
        if (count == 0)
        {
            return new(item, FindingSeverity.Info, value, null, "no NUMA nodes under /sys/devices/system/node");
        }
        if (demand.MaxGuestNumaNodes > count)
        {
            return new(item, FindingSeverity.Error, value, false,
                $"flavors ask for {demand.MaxGuestNumaNodes} guest NUMA nodes but the host has {count}: Nova cannot place them here");
        }
        return new(item, FindingSeverity.Ok, value, Fits(demand, demand.MaxGuestNumaNodes > 1, true), $"{count} NUMA node(s)");
    }

    private static AuditFinding NumaBalancing(HostFacts facts, FlavorDemand demand)
    {
        const string item = "numa.balancing";
        var latency = demand.Pinned || demand.Realtime;
        return facts.NumaBalancing switch
        {
            null => new(item, FindingSeverity.Info, "unavailable", null, "the kernel has no automatic NUMA balancing"),
            "0" => new(item, FindingSeverity.Ok, "0", Fits(demand, latency, true), "automatic NUMA balancing off"),
            var v when latency => new(item, FindingSeverity.Warning, v, false,
                "automatic NUMA balancing migrates pages under pinned guests (scan faults, jitter); set kernel.numa_balancing=0"),
            var v => new(item, FindingSeverity.Ok, v, null, "automatic NUMA balancing on"),
        };
    }

    private static AuditFinding VhostNet(HostFacts facts, FlavorDemand demand)
    {
        const string item = "vhost_net";
        var value = $"device={(facts.VhostNetDevicePresent ? "present" : "absent")} module={(facts.VhostNetModuleLoaded ? "loaded" : "absent")}";
        return facts.VhostNetDevicePresent || facts.VhostNetModuleLoaded
            ? new(item, FindingSeverity.Ok, value, Fits(demand, demand.NetworkQuota, true), "in-kernel virtio-net backend available")
            : new(item, FindingSeverity.Warning, value, Fits(demand, demand.NetworkQuota, false),
                "no vhost-net: virtio-net packets go through QEMU's userspace backend; load the vhost_net module");
    }

    private static IEnumerable<AuditFinding> IoSchedulers(HostFacts facts, FlavorDemand demand)
    {
        foreach (var device in facts.BlockDevices.Where(d => d.SchedulerText is not null && !IsVirtualDevice(d.Name)))
        {
            var item = $"io.scheduler.{device.Name}";
            var choice = SysfsChoice.Parse(device.SchedulerText);
            var current = choice.Current ?? "unknown";
            if (demand.BlkioWeight && current != "bfq")
            {
                yield return new(item, FindingSeverity.Warning, current, false, choice.Offers("bfq")
                    ? "flavors set tuner:blkio_weight, which needs bfq on cgroup v2: switch this device to bfq"
                    : "flavors set tuner:blkio_weight, which needs bfq on cgroup v2: load the bfq module");
                continue;
            }
            yield return new(item, FindingSeverity.Ok, current, Fits(demand, demand.BlkioWeight, true), $"scheduler {current}");
        }
    }

    private static bool IsVirtualDevice(string name) =>
        name.StartsWith("loop", StringComparison.Ordinal) || name.StartsWith("ram", StringComparison.Ordinal);
}
