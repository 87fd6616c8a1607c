using System.Globalization;

namespace KvmNovaTuner.Core.Tests.Topology;

/// <summary>A generated sysfs/procfs tree in a temp directory, laid out like a real host's; deleted on dispose.</summary>
internal sealed class FakeHostTree : IDisposable
{
    public FakeHostTree() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "knt-host-" + Guid.NewGuid().ToString("N"));

    /// <summary>A NUMA host: <paramref name="nodes"/> nodes of <paramref name="coresPerNode"/> cores with two SMT threads each (sibling = cpu + nodes*cores).</summary>
    public static FakeHostTree Numa(int nodes, int coresPerNode, long memoryKbPerNode = 16 * 1024 * 1024)
    {
        var tree = new FakeHostTree();
        var threads = nodes * coresPerNode;
        for (var n = 0; n < nodes; n++)
        {
            var cores = Enumerable.Range(n * coresPerNode, coresPerNode).ToList();
            var cpus = cores.Concat(cores.Select(c => c + threads)).ToList();
            tree.Write($"/sys/devices/system/node/node{n}/cpulist", $"{cores[0]}-{cores[^1]},{cores[0] + threads}-{cores[^1] + threads}");
            tree.Write($"/sys/devices/system/node/node{n}/meminfo", $"Node {n} MemTotal:       {memoryKbPerNode} kB\nNode {n} MemFree:        1000 kB");
            foreach (var cpu in cpus)
            {
                var core = cpu % threads;
                tree.Write($"/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list", $"{core},{core + threads}");
            }
            tree.Pool(n, 2048, 0, 0);
            tree.Pool(n, 1048576, 0, 0);
        }
        tree.Write("/sys/devices/system/node/possible", $"0-{nodes - 1}");
        tree.Write("/sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never");
        tree.Write("/sys/kernel/mm/ksm/run", "0");
        tree.Write("/proc/sys/kernel/numa_balancing", "1");
        return tree;
    }

    public void Pool(int node, long sizeKb, long total, long free)
    {
        var dir = $"/sys/devices/system/node/node{node}/hugepages/hugepages-{sizeKb.ToString(CultureInfo.InvariantCulture)}kB";
        Write($"{dir}/nr_hugepages", total.ToString(CultureInfo.InvariantCulture));
        Write($"{dir}/free_hugepages", free.ToString(CultureInfo.InvariantCulture));
        Write($"{dir}/surplus_hugepages", "0");
    }

    public void Write(string hostPath, string content)
    {
        var path = Path.Join(Root, hostPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content + "\n");
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
