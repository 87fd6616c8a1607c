using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Tests.Planning;

/// <summary>Hosts, domains and requests for planner tests.</summary>
internal static class PlanningFixtures
{
    public const string Uuid = "c03c0bf9-f46e-4e4f-93f1-817568567ee2";
    public const string Host = "compute-1";

    /// <summary>A host of <paramref name="nodes"/> cells with <paramref name="cpusPerNode"/> CPUs each; the first CPU of each cell is housekeeping.</summary>
    public static HostTopology Host2x4(int nodes = 2, int cpusPerNode = 4, long memoryKbPerNode = 16L * 1024 * 1024, IReadOnlyList<HugepagePool>? pools = null)
    {
        var cells = Enumerable.Range(0, nodes).Select(n =>
        {
            var cpus = Enumerable.Range(n * cpusPerNode, cpusPerNode).ToList();
            var siblings = cpus.ToDictionary(c => c, c => (IReadOnlyList<int>)[c]);
            return new NumaCell(n, cpus, siblings, memoryKbPerNode, pools ?? [new HugepagePool(2048, 0, 0), new HugepagePool(1048576, 0, 0)]);
        }).ToList();
        return new HostTopology(cells, cells.Select(c => c.Cpus[0]).ToHashSet());
    }

    public static PlanRequest Request(string eventType = "instance.create.end", int vcpus = 4, int memoryMb = 4096, string? eventHost = Host, string[]? ports = null, params (string Key, string Value)[] specs)
    {
        var parsed = SpecParser.Parse(specs.ToDictionary(s => s.Key, s => s.Value), vcpus, memoryMb);
        return new PlanRequest
        {
            InstanceUuid = Uuid,
            EventType = eventType,
            EventHost = eventHost,
            ThisHost = Host,
            Spec = parsed.Spec,
            SpecDiagnostics = parsed.Diagnostics,
            PortNames = ports ?? [],
        };
    }

    public static PlanRequest Request(params (string Key, string Value)[] specs) => Request("instance.create.end", 4, 4096, Host, null, specs);

    public static DomainState Domain(Func<DomainState, DomainState>? change = null)
    {
        var domain = new DomainState { Uuid = Uuid, Name = "instance-00000001", Active = true, Vcpus = 4, MemoryKb = 4096 * 1024 };
        return change is null ? domain : change(domain);
    }

    public static DiskState Disk(string dev, string? serial = null) => new(dev, null, null, null, new Dictionary<string, string>()) { Serial = serial };

    public static Plan Plan(PlanRequest request, HostTopology? topology = null, ObservedState? observed = null, PlannerOptions? options = null) =>
        TuningPlanner.Create(request, topology ?? Host2x4(), observed ?? ObservedState.Unknown, options);

    public static ObservedState With(DomainState domain, params OvsPortState[] ports) => new(domain, ports);

    public static IReadOnlyList<PlanAction> OfKind(this Plan plan, string kind) => plan.Actions.Where(a => a.Kind == kind).ToList();
}
