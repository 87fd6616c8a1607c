using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Filesystem;

namespace KvmNovaTuner.HostTuning.Facts;

/// <summary>Reads NUMA nodes and their hugepage pools from <c>/sys/devices/system/node</c> under a host root.</summary>
public sealed class NumaNodeReader(HostRoot root)
{
    private const string NodeDir = SysfsNodes.NodeDir;

    public async Task<IReadOnlyList<NumaNodeFacts>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var nodes = new List<NumaNodeFacts>();
        foreach (var id in SysfsNodes.NodeIds(root))
        {
            var dir = $"{NodeDir}/node{id}";
            var meminfo = await root.ReadTextAsync($"{dir}/meminfo", cancellationToken).ConfigureAwait(false) ?? "";
            nodes.Add(new NumaNodeFacts(
                id,
                await root.ReadTextAsync($"{dir}/cpulist", cancellationToken).ConfigureAwait(false) ?? "",
                MeminfoKb(meminfo, "MemTotal"),
                MeminfoKb(meminfo, "MemFree"),
                await ReadPoolsAsync(id, cancellationToken).ConfigureAwait(false)));
        }
        return nodes.OrderBy(n => n.Id).ToList();
    }

    /// <summary>The hugepage pools of one node, one per page size the kernel offers there.</summary>
    public async Task<IReadOnlyList<HugepagePoolFacts>> ReadPoolsAsync(int node, CancellationToken cancellationToken = default)
    {
        var pools = new List<HugepagePoolFacts>();
        var dir = $"{NodeDir}/node{node}/hugepages";
        foreach (var (entry, size) in SysfsNodes.PoolDirectories(root, dir))
        {
            async Task<long> Count(string name) =>
                long.TryParse(await root.ReadTextAsync($"{dir}/{entry}/{name}", cancellationToken).ConfigureAwait(false), out var v) ? v : 0;
            pools.Add(new HugepagePoolFacts(size,
                await Count("nr_hugepages").ConfigureAwait(false),
                await Count("free_hugepages").ConfigureAwait(false),
                await Count("surplus_hugepages").ConfigureAwait(false)));
        }
        return pools.OrderBy(p => p.PageSizeKb).ToList();
    }

    /// <summary>The host path of a pool's <c>nr_hugepages</c>.</summary>
    public static string NrHugepagesPath(int node, long pageSizeKb) => $"{NodeDir}/node{node}/hugepages/hugepages-{pageSizeKb}kB/nr_hugepages";

    /// <summary>A kB value from a meminfo text (<c>Node 0 MemTotal: 123 kB</c> or <c>MemTotal: 123 kB</c>); 0 when absent.</summary>
    public static long MeminfoKb(string meminfo, string field) => SysfsNodes.MeminfoKb(meminfo, field) ?? 0;
}
