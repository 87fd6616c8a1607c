using System.Globalization;
using System.Security;
using System.Text;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Libvirt.Testing;

namespace KvmNovaTuner.Agent.Demo;

/// <summary>
/// Writes the demo's private host into a work directory: a libvirt test-driver host file (two NUMA cells of
/// 4 CPUs, one running Nova-style domain per instance the notifications name, with Nova's metadata) and a
/// sysfs tree under <c>root/</c> with the same topology and empty hugepage pools.
/// </summary>
public static class DemoHost
{
    public const string NovaNamespace = TestDriverHostXml.NovaNamespace;
    public const int CpusPerNode = 4;
    public const int Nodes = 2;
    public const long NodeMemoryKb = 16 * 1024 * 1024;

    /// <summary>The test-driver URI of the written host file.</summary>
    public static string WriteLibvirtHost(string directory, IReadOnlyList<InstanceEvent> instances)
    {
        var xml = new StringBuilder();
        xml.Append(CultureInfo.InvariantCulture, $"<node><cpu><mhz>2400</mhz><model>x86_64</model><active>{Nodes * CpusPerNode}</active>")
           .Append(CultureInfo.InvariantCulture, $"<nodes>{Nodes}</nodes><sockets>1</sockets><cores>2</cores><threads>2</threads></cpu>")
           .Append(CultureInfo.InvariantCulture, $"<memory>{Nodes * NodeMemoryKb}</memory>");
        for (var i = 0; i < instances.Count; i++)
        {
            xml.Append(DomainXml($"instance-{i + 1:x8}", instances[i]));
        }
        xml.Append("</node>");
        var path = Path.Combine(directory, "libvirt-host.xml");
        File.WriteAllText(path, xml.ToString());
        return $"test://{path}";
    }

    /// <summary>A domain as Nova defines it at boot: its vCPUs (pinned when the flavor is dedicated), one IO thread, one disk, one tap.</summary>
    public static string DomainXml(string name, InstanceEvent instance)
    {
        var flavor = instance.Flavor!;
        var specs = flavor.ExtraSpecs ?? new Dictionary<string, string>();
        var vcpus = flavor.Vcpus ?? 1;
        var dedicated = specs.TryGetValue("hw:cpu_policy", out var policy) && policy == "dedicated";
        // Nova writes quota:cpu_* into <cputune> and, for dedicated guests, one pinned host CPU per vCPU.
        var quota = string.Concat(new[] { ("quota:cpu_shares", "shares"), ("quota:cpu_period", "period"), ("quota:cpu_quota", "quota") }
            .Where(q => specs.ContainsKey(q.Item1)).Select(q => $"<{q.Item2}>{specs[q.Item1]}</{q.Item2}>"));
        var vcpuPins = dedicated
            ? string.Concat(Enumerable.Range(0, vcpus).Select(v => $"<vcpupin vcpu='{v}' cpuset='{(v + 1) % (Nodes * CpusPerNode)}'/>")) + "<emulatorpin cpuset='0'/>"
            : "";
        var port = instance.Ports.FirstOrDefault();
        return TestDriverHostXml.Domain(new NovaStyleDomain(name, instance.InstanceUuid ?? "")
        {
            DisplayName = instance.DisplayName ?? "",
            FlavorName = flavor.Name ?? "",
            FlavorId = flavor.FlavorId ?? "",
            MemoryMb = flavor.MemoryMb ?? 512,
            DiskGb = null,
            Vcpus = vcpus,
            ExtraSpecs = specs,
            CpuTune = quota + vcpuPins,
            DiskFormat = "qcow2",
            Mac = port?.MacAddress ?? "fa:16:3e:00:00:01",
            Tap = port?.DeviceName ?? "tap-demo",
        });
    }

    /// <summary>Writes sysfs/procfs files for the demo topology under <paramref name="root"/>.</summary>
    public static void WriteSysfs(string root)
    {
        void Write(string path, string text)
        {
            var full = Path.Combine(root, path.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text + "\n");
        }
        var all = Nodes * CpusPerNode;
        Write("/sys/devices/system/cpu/online", $"0-{all - 1}");
        for (var cpu = 0; cpu < all; cpu++)
        {
            var first = cpu - (cpu % 2);
            Write($"/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list", $"{first}-{first + 1}");
        }
        for (var node = 0; node < Nodes; node++)
        {
            var dir = $"/sys/devices/system/node/node{node}";
            Write($"{dir}/cpulist", $"{node * CpusPerNode}-{(node + 1) * CpusPerNode - 1}");
            Write($"{dir}/meminfo", $"Node {node} MemTotal:       {NodeMemoryKb} kB\nNode {node} MemFree:        {NodeMemoryKb / 2} kB");
            foreach (var size in new[] { 2048, 1048576 })
            {
                Write($"{dir}/hugepages/hugepages-{size}kB/nr_hugepages", "0");
                Write($"{dir}/hugepages/hugepages-{size}kB/free_hugepages", "0");
                Write($"{dir}/hugepages/hugepages-{size}kB/surplus_hugepages", "0");
            }
        }
        Write("/proc/meminfo", $"MemTotal:       {Nodes * NodeMemoryKb} kB");
        Write("/sys/kernel/mm/transparent_hugepage/enabled", "always [madvise] never");
        Write("/sys/kernel/mm/ksm/run", "0");
    }
}
