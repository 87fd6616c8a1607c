using FsCheck;
using FsCheck.Fluent;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Tests.Planning;

/// <summary>One random planning input: a host, a flavor-driven request and what the host looks like now.</summary>
internal sealed record PlanningCase(HostTopology Topology, PlanRequest Request, ObservedState Observed, IReadOnlyDictionary<string, string> Specs)
{
    public override string ToString() =>
        $"cells={string.Join(";", Topology.Cells.Select(c => $"{c.Id}:[{CpuList.Format(c.Cpus)}] pools={string.Join(",", c.Hugepages.Select(p => $"{p.PageSizeKb}:{p.Free}/{p.Total}"))}"))} " +
        $"hk=[{CpuList.Format(Topology.HousekeepingCpus)}] event={Request.EventType} vcpus={Request.Spec.Vcpus} mem={Request.Spec.MemoryMb} " +
        $"specs={{{string.Join(", ", Specs.Select(s => $"{s.Key}={s.Value}"))}}} domain={(Observed.Domain is null ? "unknown" : "known")} " +
        $"pins={string.Join(",", Observed.Domain?.VcpuPins.Select(p => $"{p.Key}:{p.Value}") ?? [])} cfg={string.Join(",", Observed.Domain?.ConfiguredVcpuPins.Select(p => $"{p.Key}:{p.Value}") ?? [])} ports={Observed.Ports.Count}";
}

/// <summary>FsCheck generators of random topologies, flavors (valid and invalid values) and observed states.</summary>
internal static class PlanningGenerators
{
    private static readonly (string Key, string[] Values)[] SpecChoices =
    [
        (SpecKeys.CpuPolicy, ["shared", "dedicated", "mixed", "pinned"]),
        (SpecKeys.CpuDedicatedMask, ["^0", "1", "0-1"]),
        (SpecKeys.EmulatorThreadsPolicy, ["share", "isolate"]),
        (SpecKeys.NumaNodes, ["1", "2"]),
        (SpecKeys.MemPageSize, ["small", "large", "any", "2048", "1GB", "2M", "2mb"]),
        ("quota:cpu_shares", ["100", "2048"]),
        ("quota:cpu_period", ["100000"]),
        ("quota:cpu_quota", ["-1", "50000", "10"]),
        ("quota:disk_total_iops_sec", ["500"]),
        ("quota:disk_read_bytes_sec", ["1000000"]),
        ("tuner:disk_total_iops_sec_max", ["1000", "100"]),
        ("tuner:disk_total_iops_sec_max_length", ["10"]),
        (SpecKeys.DiskSizeIopsSec, ["4096"]),
        ("quota:vif_inbound_average", ["100", "1000"]),
        ("quota:vif_inbound_peak", ["2000"]),
        ("quota:vif_inbound_burst", ["50"]),
        ("quota:vif_outbound_average", ["100"]),
        ("quota:vif_outbound_burst", ["10"]),
        (SpecKeys.IoThreads, ["1", "2", "3", "0"]),
        (SpecKeys.EmulatorPlacement, ["node", "housekeeping", "nova"]),
        (SpecKeys.BlkioWeight, ["500", "5"]),
        (SpecKeys.DiskCache, ["none", "writeback"]),
        (SpecKeys.DiskIo, ["native", "threads"]),
        (SpecKeys.Ksm, ["on", "off"]),
        (SpecKeys.CpuRealtime, ["yes"]),
        (SpecKeys.CpuRealtimeMask, ["^0"]),
    ];

    private static readonly string[] Events =
        ["instance.create.start", "instance.create.end", "instance.reboot.end", "instance.live_migration_post_dest.end", "instance.power_on.start", "instance.resize_finish.end"];

    public static Arbitrary<PlanningCase> Cases() =>
        (from topology in Topology()
         from vcpus in Gen.Choose(1, 8)
         from memoryMb in Gen.Elements(512, 1024, 2048, 4096, 8192)
         from specs in Specs()
         from eventType in Gen.Elements(Events)
         from ports in Gen.SubListOf("tapa", "tapb")
         from observed in Observed(topology, vcpus)
         select Case(topology, vcpus, memoryMb, specs, eventType, ports, observed)).ToArbitrary();

    private static PlanningCase Case(HostTopology topology, int vcpus, int memoryMb, Dictionary<string, string> specs, string eventType, IList<string> ports, ObservedState observed)
    {
        var parsed = SpecParser.Parse(specs, vcpus, memoryMb);
        var request = new PlanRequest
        {
            InstanceUuid = PlanningFixtures.Uuid,
            EventType = eventType,
            EventHost = PlanningFixtures.Host,
            ThisHost = PlanningFixtures.Host,
            Spec = parsed.Spec,
            SpecDiagnostics = parsed.Diagnostics,
            PortNames = [.. ports],
        };
        return new PlanningCase(topology, request, observed, specs);
    }

    private static Gen<Dictionary<string, string>> Specs() =>
        Gen.SubListOf(SpecChoices).SelectMany(keys => Gen.CollectToList(keys.Select(k => Gen.Elements(k.Values).Select(v => (k.Key, v)))))
            .Select(pairs => pairs.ToDictionary(p => p.Key, p => p.v));

    private static Gen<HostTopology> Topology() =>
        from nodes in Gen.Choose(1, 3)
        from cpusPerNode in Gen.Choose(1, 6)
        from memoryGb in Gen.Choose(2, 64)
        from pools in Pools().ListOf(nodes)
        from housekeepingMask in Gen.Choose(0, 1).ListOf(nodes * cpusPerNode)
        from smt in Gen.Elements(true, false)
        select Build(nodes, cpusPerNode, memoryGb, pools, housekeepingMask, smt);

    private static Gen<HugepagePool[]> Pools() =>
        from total2m in Gen.Choose(0, 6000)
        from free2m in Gen.Choose(0, 6000)
        from total1g in Gen.Choose(0, 8)
        from free1g in Gen.Choose(0, 8)
        select new[] { new HugepagePool(2048, total2m, Math.Min(free2m, total2m)), new HugepagePool(1048576, total1g, Math.Min(free1g, total1g)) };

    private static HostTopology Build(int nodes, int cpusPerNode, int memoryGb, IList<HugepagePool[]> pools, IList<int> housekeepingMask, bool smt)
    {
        var cells = Enumerable.Range(0, nodes).Select(n =>
        {
            var cpus = Enumerable.Range(n * cpusPerNode, cpusPerNode).ToList();
            // With SMT, CPUs pair up as siblings (c, c^1) when both are on the cell.
            var siblings = cpus.ToDictionary(c => c, c => (IReadOnlyList<int>)(smt && cpus.Contains(c ^ 1) ? [Math.Min(c, c ^ 1), Math.Max(c, c ^ 1)] : [c]));
            return new NumaCell(n, cpus, siblings, memoryGb * 1024L * 1024, pools[n]);
        }).ToList();
        var housekeeping = Enumerable.Range(0, nodes * cpusPerNode).Where(c => housekeepingMask[c] == 1).ToHashSet();
        return new HostTopology(cells, housekeeping);
    }

    private static Gen<ObservedState> Observed(HostTopology topology, int vcpus) =>
        Gen.Frequency(
            (1, Gen.Constant(ObservedState.Unknown)),
            (3, from domain in Domain(topology, vcpus)
                from ports in Port().ListOf(2)
                select new ObservedState(domain, [.. ports.DistinctBy(p => p.Name)])));

    private static Gen<OvsPortState> Port() =>
        from name in Gen.Elements("tapa", "tapc")
        from type in Gen.Elements<string?>(null, "system", "dpdkvhostuserclient")
        from rate in Gen.Elements(0L, 800L)
        select new OvsPortState { Name = name, InterfaceType = type, IngressPolicingRate = rate };

    private static Gen<DomainState> Domain(HostTopology topology, int vcpus)
    {
        var cpus = topology.AllCpus.Append(99).ToArray();
        return from live in Gen.Elements(cpus).Select(c => c.ToString()).ListOf(vcpus)
               from configured in Gen.Elements(cpus).Select(c => c.ToString()).ListOf(vcpus)
               from useConfigured in Gen.Elements(true, false)
               from emulator in Gen.Elements<string?>(null, "0", CpuList.Format(topology.HousekeepingCpus))
               from ioThreads in Gen.SubListOf(1, 2)
               from disks in Gen.Choose(0, 3)
               from serial in Gen.Elements<string?>(null, "vol-1")
               from numaMode in Gen.Elements<string?>(null, "strict", "interleave")
               from noShare in Gen.Elements(true, false)
               select new DomainState
               {
                   Uuid = PlanningFixtures.Uuid,
                   Name = "instance-1",
                   Active = true,
                   Vcpus = vcpus,
                   VcpuPins = live.Select((c, i) => (c, i)).ToDictionary(p => p.i, p => p.c),
                   ConfiguredVcpuPins = useConfigured ? configured.Select((c, i) => (c, i)).ToDictionary(p => p.i, p => p.c) : new Dictionary<int, string>(),
                   EmulatorPin = emulator,
                   IoThreadIds = [.. ioThreads],
                   NumaMode = numaMode,
                   NumaNodeset = numaMode is null ? null : "0",
                   NoSharePages = noShare,
                   Disks = [.. Enumerable.Range(0, disks).Select(i => new DiskState($"vd{(char)('a' + i)}", null, null, null, new Dictionary<string, string>()) { Serial = i == 2 ? serial : null })],
               };
    }
}
