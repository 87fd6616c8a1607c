namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>Reads a running QEMU's thread affinities from /proc/&lt;pid&gt;/task/*/status (the main thread is "emulator").</summary>
internal static class QemuThreads
{
    public static Dictionary<string, KvmNovaTuner.Libvirt.CpuSet> Affinities(string guestName)
    {
        var pid = FindQemu(guestName) ?? throw new InvalidOperationException($"no qemu process for guest {guestName} in /proc");
        var result = new Dictionary<string, KvmNovaTuner.Libvirt.CpuSet>();
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            var name = Path.GetFileName(task) == pid ? "emulator" : File.ReadAllText(Path.Combine(task, "comm")).Trim();
            var allowed = File.ReadLines(Path.Combine(task, "status"))
                .First(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal))["Cpus_allowed_list:".Length..].Trim();
            result[name] = KvmNovaTuner.Libvirt.CpuSet.Parse(allowed);
        }
        return result;
    }

    /// <summary>The pid of the QEMU process running <paramref name="guestName"/>, or null.</summary>
    public static string? Pid(string guestName) => FindQemu(guestName);

    private static string? FindQemu(string guestName)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(dir);
            if (!pid.All(char.IsAsciiDigit))
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (cmdline.Length > 0 && cmdline[0].Contains("qemu-system", StringComparison.Ordinal) && cmdline.Any(a => a.Contains($"guest={guestName},", StringComparison.Ordinal) || a == $"guest={guestName}"))
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }
        return null;
    }
}
