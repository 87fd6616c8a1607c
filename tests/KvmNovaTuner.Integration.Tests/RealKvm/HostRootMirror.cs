namespace KvmNovaTuner.Integration.Tests.RealKvm;

/// <summary>
/// A generated host root for the agent that mirrors this machine's real CPU and NUMA layout (copied, read-only, from
/// /sys and /proc) plus an etc/nova/nova.conf with Nova's <c>[compute] cpu_dedicated_set</c>, so the agent plans for
/// the real host while every write it makes to sysfs lands in the copy.
/// </summary>
internal static class HostRootMirror
{
    public static void Write(string root, string cpuDedicatedSet, string cpuSharedSet)
    {
        void Copy(string path)
        {
            if (!File.Exists(path)) return;
            var target = Path.Combine(root, path.TrimStart('/'));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, File.ReadAllText(path));
        }
        Copy("/sys/devices/system/cpu/online");
        Copy("/proc/meminfo");
        Copy("/sys/kernel/mm/transparent_hugepage/enabled");
        Copy("/sys/kernel/mm/ksm/run");
        foreach (var cpu in Directory.EnumerateDirectories("/sys/devices/system/cpu", "cpu*").Where(d => Path.GetFileName(d)[3..].All(char.IsAsciiDigit) && Path.GetFileName(d).Length > 3))
        {
            Copy(Path.Combine(cpu, "topology", "thread_siblings_list"));
        }
        foreach (var node in Directory.EnumerateDirectories("/sys/devices/system/node", "node*"))
        {
            Copy(Path.Combine(node, "cpulist"));
            Copy(Path.Combine(node, "meminfo"));
            if (!Directory.Exists(Path.Combine(node, "hugepages"))) continue;
            foreach (var pool in Directory.EnumerateDirectories(Path.Combine(node, "hugepages")))
            {
                foreach (var f in new[] { "nr_hugepages", "free_hugepages", "surplus_hugepages" }) Copy(Path.Combine(pool, f));
            }
        }
        var nova = Path.Combine(root, "etc", "nova", "nova.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(nova)!);
        File.WriteAllText(nova, $"[compute]\ncpu_dedicated_set = {cpuDedicatedSet}\ncpu_shared_set = {cpuSharedSet}\n");
    }
}
