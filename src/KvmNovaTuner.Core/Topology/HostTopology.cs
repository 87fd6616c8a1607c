namespace KvmNovaTuner.Core.Topology;

/// <summary>What the planner knows of the host: NUMA cells, CPUs, hugepage pools and the housekeeping CPUs.</summary>
public sealed record HostTopology(
    IReadOnlyList<NumaCell> Cells,
    IReadOnlySet<int> HousekeepingCpus)
{
    public IEnumerable<int> AllCpus => Cells.SelectMany(c => c.Cpus);

    public static HostTopology Unknown { get; } = new([], new HashSet<int>());
}

/// <summary>One NUMA node: its CPUs (with SMT siblings), memory and hugepage pools.</summary>
public sealed record NumaCell(
    int Id,
    IReadOnlyList<int> Cpus,
    IReadOnlyDictionary<int, IReadOnlyList<int>> SiblingsByCpu,
    long MemoryKb,
    IReadOnlyList<HugepagePool> Hugepages);

/// <summary>A hugepage pool of one size on one node.</summary>
public sealed record HugepagePool(long PageSizeKb, long Total, long Free);
