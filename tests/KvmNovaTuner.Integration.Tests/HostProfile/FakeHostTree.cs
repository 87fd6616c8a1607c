using KvmNovaTuner.HostTuning.Filesystem;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

/// <summary>
/// A generated host tree in a temp dir laid out like sysfs/procfs/dev: a two-node Intel KVM host with THP madvise,
/// KSM stopped, no hugepages, numa_balancing on. Device nodes are plain files. Deleted on dispose.
/// </summary>
internal sealed class FakeHostTree : IDisposable
{
    private FakeHostTree(string path)
    {
        Path = path;
        Root = new HostRoot(path);
        StateDir = System.IO.Path.Join(path, "..", System.IO.Path.GetFileName(path) + "-state");
    }

    public string Path { get; }
    public HostRoot Root { get; }
    /// <summary>A state directory for the saved-values store, outside the host tree.</summary>
    public string StateDir { get; }

    public static FakeHostTree Create(int nodes = 2, string cpuFlag = "vmx")
    {
        var tree = new FakeHostTree(Directory.CreateTempSubdirectory("knt-host-").FullName);
        tree.Write("/proc/cpuinfo", $"processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu sse2 {cpuFlag} ept\n\nprocessor\t: 1\nflags\t\t: fpu\n");
        tree.Write("/proc/meminfo", "MemTotal:       33554432 kB\nMemFree:         4000000 kB\nBuffers:          100000 kB\nCached:           900000 kB\n");
        tree.Write("/dev/kvm", "");
        tree.Write("/dev/vhost-net", "");
        Directory.CreateDirectory(tree.Root.Resolve("/sys/module/vhost_net"));
        tree.Write("/sys/module/kvm_intel/parameters/ept", "Y");
        tree.Write("/sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never");
        tree.Write("/sys/kernel/mm/transparent_hugepage/defrag", "always defer defer+madvise [madvise] never");
        foreach (var (knob, value) in new[] { ("run", "0"), ("pages_to_scan", "100"), ("sleep_millisecs", "20"), ("pages_shared", "0"), ("pages_sharing", "0"), ("merge_across_nodes", "1") })
        {
            tree.Write($"/sys/kernel/mm/ksm/{knob}", value);
        }
        for (var node = 0; node < nodes; node++)
        {
            var dir = $"/sys/devices/system/node/node{node}";
            tree.Write($"{dir}/cpulist", $"{node * 4}-{node * 4 + 3}");
            tree.Write($"{dir}/meminfo", $"Node {node} MemTotal:       16777216 kB\nNode {node} MemFree:         2000000 kB\n");
            foreach (var size in new[] { 2048, 1048576 })
            {
                tree.SetPool(node, size, 0, 0);
                tree.Write($"{dir}/hugepages/hugepages-{size}kB/surplus_hugepages", "0");
            }
        }
        tree.Write("/sys/devices/system/node/online", nodes == 1 ? "0" : $"0-{nodes - 1}");
        tree.Write("/proc/sys/kernel/numa_balancing", "1");
        tree.Write("/proc/sys/vm/swappiness", "60");
        tree.Write("/proc/sys/vm/dirty_background_ratio", "10");
        tree.Write("/sys/block/sda/queue/scheduler", "[mq-deadline] none bfq");
        tree.Write("/sys/block/loop0/queue/scheduler", "[none] mq-deadline");
        return tree;
    }

    public void SetPool(int node, long sizeKb, long total, long free)
    {
        var dir = $"/sys/devices/system/node/node{node}/hugepages/hugepages-{sizeKb}kB";
        Write($"{dir}/nr_hugepages", total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Write($"{dir}/free_hugepages", free.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Write(string hostPath, string text)
    {
        var path = Root.Resolve(hostPath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text + "\n");
    }

    public string Read(string hostPath) => File.ReadAllText(Root.Resolve(hostPath)).TrimEnd('\n');

    /// <summary>Every file of the tree with its content, to compare a tree before and after.</summary>
    public Dictionary<string, string> Snapshot() =>
        Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories).ToDictionary(f => f[Path.Length..], File.ReadAllText);

    /// <summary>The snapshot as values: a choice file counts by its current choice, as the kernel would show it.</summary>
    public Dictionary<string, string> Values() =>
        Snapshot().ToDictionary(kv => kv.Key, kv => KvmNovaTuner.Core.HostProfile.SysfsChoice.Parse(kv.Value).Current ?? kv.Value);

    public void Dispose()
    {
        Directory.Delete(Path, recursive: true);
        if (Directory.Exists(StateDir))
        {
            Directory.Delete(StateDir, recursive: true);
        }
    }
}
