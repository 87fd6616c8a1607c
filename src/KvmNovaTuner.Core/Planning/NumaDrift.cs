using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Planning;

/// <summary>
/// NUMA verification against Nova's placement: every running vCPU inside the host CPUs of the node(s) the guest's
/// memory is bound to (Nova's nodeset), and, when the flavor places emulator and IO threads on the node's housekeeping
/// CPUs, those threads on them. Each finding is a warning naming the thread, the CPU and the node; the actions the
/// other planners emit repair it.
/// </summary>
internal static class NumaDrift
{
    public const string Key = "numa";

    public static void Report(PlanContext c)
    {
        if (c.Domain is not { } domain || c.Topology.IsUnknown || !c.Spec.HasNumaTopology)
        {
            return;
        }
        var nodes = CpuList.Parse(domain.ConfiguredNumaNodeset ?? domain.NumaNodeset);
        if (nodes is not { Count: > 0 })
        {
            return;
        }
        var cells = nodes.Select(c.Topology.CellById).OfType<NumaCell>().ToList();
        var allowed = cells.SelectMany(cell => cell.Cpus).ToHashSet();
        var where = $"node(s) {CpuList.Format(nodes)}";
        foreach (var (vcpu, cpuset) in domain.VcpuPins.OrderBy(p => p.Key))
        {
            Check(c, $"vCPU {vcpu}", cpuset, allowed, $"outside the CPUs of {where} its memory is bound to");
        }
        if (c.Spec.EmulatorPlacement != EmulatorPlacement.Node)
        {
            return;
        }
        var housekeeping = allowed.Where(c.Topology.HousekeepingCpus.Contains).ToHashSet();
        if (housekeeping.Count == 0)
        {
            return;
        }
        var onHousekeeping = $"outside the housekeeping CPUs {CpuList.Format(housekeeping)} of {where}";
        if (domain.EmulatorPin is { } emulator)
        {
            Check(c, "emulator thread", emulator, housekeeping, onHousekeeping);
        }
        foreach (var (id, cpuset) in domain.IoThreadPins.OrderBy(p => p.Key))
        {
            Check(c, $"IO thread {id}", cpuset, housekeeping, onHousekeeping);
        }
    }

    private static void Check(PlanContext c, string thread, string cpuset, IReadOnlySet<int> allowed, string rule)
    {
        if (CpuList.Parse(cpuset) is not { Count: > 0 } cpus)
        {
            return;
        }
        foreach (var cpu in cpus.Where(x => !allowed.Contains(x)).Order())
        {
            var node = c.Topology.CellOfCpu(cpu)?.Id is { } id ? $"node {id}" : "no known node";
            c.Builder.Diagnose(DiagnosticSeverity.Warning, Key, $"drift: {thread} runs on CPU {cpu} ({node}), {rule}");
        }
    }
}
