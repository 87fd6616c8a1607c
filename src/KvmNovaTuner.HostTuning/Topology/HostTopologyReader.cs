using System.Globalization;
using KvmNovaTuner.Core.Topology;
using KvmNovaTuner.HostTuning.Filesystem;

namespace KvmNovaTuner.HostTuning.Topology;

/// <summary>
/// Reads the host's NUMA cells, CPUs, SMT siblings, hugepage pools and kernel knobs from sysfs/procfs under a
/// <see cref="HostRoot"/>, and decides the housekeeping CPUs (configured, or those outside Nova's cpu_dedicated_set).
/// </summary>
public sealed class HostTopologyReader(HostRoot root)
{
    private const string NodeDir = SysfsNodes.NodeDir;

    /// <summary>The knobs read into <see cref="HostTopology.KernelKnobs"/>.</summary>
    public static IReadOnlyList<string> KnobPaths { get; } =
    [
        "/sys/kernel/mm/transparent_hugepage/enabled",
        "/sys/kernel/mm/transparent_hugepage/defrag",
        "/sys/kernel/mm/ksm/run",
        "/sys/kernel/mm/ksm/pages_to_scan",
        "/sys/kernel/mm/ksm/sleep_millisecs",
        "/proc/sys/kernel/numa_balancing",
        "/proc/sys/vm/nr_hugepages",
        "/sys/module/kvm_intel/parameters/ept",
        "/sys/module/kvm_amd/parameters/npt",
    ];

    public async Task<HostTopology> ReadAsync(HousekeepingOptions? housekeeping = null, CancellationToken cancellationToken = default)
    {
        var nodes = SysfsNodes.NodeIds(root);
        var cells = new List<NumaCell>();
        if (nodes.Count == 0)
        {
            cells.Add(await ReadFlatCellAsync(cancellationToken).ConfigureAwait(false));
        }
        foreach (var node in nodes)
        {
            cells.Add(await ReadCellAsync(node, cancellationToken).ConfigureAwait(false));
        }
        var allCpus = cells.SelectMany(c => c.Cpus).ToHashSet();
        var resolver = new HousekeepingResolver(root);
        var housekeepingCpus = await resolver.ResolveAsync(allCpus, housekeeping ?? new HousekeepingOptions(), cancellationToken).ConfigureAwait(false);
        return new HostTopology(cells, housekeepingCpus) { KernelKnobs = await ReadKnobsAsync(cancellationToken).ConfigureAwait(false) };
    }

    private async Task<NumaCell> ReadCellAsync(int id, CancellationToken cancellationToken)
    {
        var dir = $"{NodeDir}/node{id}";
        var cpus = await ReadCpuListAsync($"{dir}/cpulist", cancellationToken).ConfigureAwait(false);
        var memoryKb = MemTotalKb(await root.ReadTextAsync($"{dir}/meminfo", cancellationToken).ConfigureAwait(false), $"{dir}/meminfo");
        var pools = await ReadPoolsAsync($"{dir}/hugepages", cancellationToken).ConfigureAwait(false);
        return new NumaCell(id, cpus, await ReadSiblingsAsync(cpus, cancellationToken).ConfigureAwait(false), memoryKb, pools);
    }

    /// <summary>A kernel without NUMA nodes in sysfs: one cell 0 from the online CPUs, /proc/meminfo and the global pools.</summary>
    private async Task<NumaCell> ReadFlatCellAsync(CancellationToken cancellationToken)
    {
        var cpus = await ReadCpuListAsync("/sys/devices/system/cpu/online", cancellationToken).ConfigureAwait(false);
        var memoryKb = MemTotalKb(await root.ReadTextAsync("/proc/meminfo", cancellationToken).ConfigureAwait(false), "/proc/meminfo");
        var pools = await ReadPoolsAsync("/sys/kernel/mm/hugepages", cancellationToken).ConfigureAwait(false);
        return new NumaCell(0, cpus, await ReadSiblingsAsync(cpus, cancellationToken).ConfigureAwait(false), memoryKb, pools);
    }

    private async Task<IReadOnlyList<int>> ReadCpuListAsync(string path, CancellationToken cancellationToken)
    {
        var text = await root.ReadTextAsync(path, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        return CpuList.Parse(text)?.Order().ToList() ?? throw new HostTopologyException(path, $"'{text}' is not a CPU list");
    }

    private async Task<IReadOnlyDictionary<int, IReadOnlyList<int>>> ReadSiblingsAsync(IReadOnlyList<int> cpus, CancellationToken cancellationToken)
    {
        var siblings = new Dictionary<int, IReadOnlyList<int>>();
        foreach (var cpu in cpus)
        {
            var path = $"/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list";
            var list = await ReadCpuListAsync(path, cancellationToken).ConfigureAwait(false);
            siblings[cpu] = list.Count == 0 ? [cpu] : list;
        }
        return siblings;
    }

    private async Task<IReadOnlyList<HugepagePool>> ReadPoolsAsync(string dir, CancellationToken cancellationToken)
    {
        var pools = new List<HugepagePool>();
        foreach (var (name, sizeKb) in SysfsNodes.PoolDirectories(root, dir))
        {
            var total = await ReadLongAsync($"{dir}/{name}/nr_hugepages", cancellationToken).ConfigureAwait(false);
            var free = await ReadLongAsync($"{dir}/{name}/free_hugepages", cancellationToken).ConfigureAwait(false);
            pools.Add(new HugepagePool(sizeKb, total, free));
        }
        return pools.OrderBy(p => p.PageSizeKb).ToList();
    }

    private async Task<long> ReadLongAsync(string path, CancellationToken cancellationToken)
    {
        var text = await root.ReadTextAsync(path, cancellationToken).ConfigureAwait(false);
        if (text is null)
        {
            return 0;
        }
        return long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new HostTopologyException(path, $"'{text}' is not a count");
    }

    private async Task<IReadOnlyDictionary<string, string>> ReadKnobsAsync(CancellationToken cancellationToken)
    {
        var knobs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in KnobPaths)
        {
            if (await root.ReadTextAsync(path, cancellationToken).ConfigureAwait(false) is { } text)
            {
                knobs[path] = KernelKnob.Current(text);
            }
        }
        return knobs;
    }

    private static long MemTotalKb(string? meminfo, string path) =>
        meminfo is null ? 0 : SysfsNodes.MeminfoKb(meminfo, "MemTotal") ?? throw new HostTopologyException(path, "has no readable MemTotal line");
}
