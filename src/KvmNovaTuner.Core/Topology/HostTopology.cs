namespace KvmNovaTuner.Core.Topology;

/// <summary>What the planner knows of the host: NUMA cells, CPUs, hugepage pools and the housekeeping CPUs.</summary>
public sealed record HostTopology(
    IReadOnlyList<NumaCell> Cells,
    IReadOnlySet<int> HousekeepingCpus)
{
    public IEnumerable<int> AllCpus => Cells.SelectMany(c => c.Cpus);

    public static HostTopology Unknown { get; } = new([], new HashSet<int>());

    /// <summary>
    /// Kernel knobs by host path (<c>/sys/kernel/mm/transparent_hugepage/enabled</c>, <c>/sys/kernel/mm/ksm/run</c>,
    /// <c>/proc/sys/kernel/numa_balancing</c>, ...), valued as the current setting (the bracketed word for THP).
    /// </summary>
    public IReadOnlyDictionary<string, string> KernelKnobs { get; init; } = new Dictionary<string, string>();

    /// <summary>True when nothing is known of the host's CPUs.</summary>
    public bool IsUnknown => Cells.Count == 0;

    /// <summary>The cell holding <paramref name="cpu"/>, or null when the host lacks it.</summary>
    public NumaCell? CellOfCpu(int cpu) => Cells.FirstOrDefault(c => c.Cpus.Contains(cpu));

    /// <summary>The cell with this id, or null.</summary>
    public NumaCell? CellById(int id) => Cells.FirstOrDefault(c => c.Id == id);

    /// <summary>Housekeeping CPUs that the host really has, on the given cells (all cells when null).</summary>
    public IReadOnlySet<int> HousekeepingOn(IEnumerable<int>? cellIds)
    {
        var cells = cellIds is null ? Cells : Cells.Where(c => cellIds.Contains(c.Id));
        return cells.SelectMany(c => c.Cpus).Where(HousekeepingCpus.Contains).ToHashSet();
    }
}

/// <summary>One NUMA node: its CPUs (with SMT siblings), memory and hugepage pools.</summary>
public sealed record NumaCell(
    int Id,
    IReadOnlyList<int> Cpus,
    IReadOnlyDictionary<int, IReadOnlyList<int>> SiblingsByCpu,
    long MemoryKb,
    IReadOnlyList<HugepagePool> Hugepages)
{
    /// <summary>The pool of this page size, or null when the node has none.</summary>
    public HugepagePool? Pool(long pageSizeKb) => Hugepages.FirstOrDefault(p => p.PageSizeKb == pageSizeKb);
}

/// <summary>A hugepage pool of one size on one node.</summary>
public sealed record HugepagePool(long PageSizeKb, long Total, long Free);
