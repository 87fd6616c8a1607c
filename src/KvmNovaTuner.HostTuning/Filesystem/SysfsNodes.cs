using System.Globalization;

namespace KvmNovaTuner.HostTuning.Filesystem;

/// <summary>
/// The layout of <c>/sys/devices/system/node</c> and of hugepage pool directories, shared by the topology reader
/// (planning) and the facts reader (audit): which entries are nodes, which are pools and their page sizes, and a
/// kB field of a meminfo text. Each reader keeps its own policy for missing or malformed values.
/// </summary>
public static class SysfsNodes
{
    public const string NodeDir = "/sys/devices/system/node";

    /// <summary>The NUMA node ids present under the host root, ascending (entries <c>node&lt;N&gt;</c>).</summary>
    public static IReadOnlyList<int> NodeIds(HostRoot root) =>
        root.List(NodeDir)
            .Select(e => e.StartsWith("node", StringComparison.Ordinal) && e.Length > 4 && e[4..].All(char.IsAsciiDigit)
                && int.TryParse(e.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1)
            .Where(id => id >= 0)
            .Order()
            .ToList();

    /// <summary>The pool directories in <paramref name="dir"/> (<c>hugepages-&lt;size&gt;kB</c>) with their page size, smallest first.</summary>
    public static IReadOnlyList<(string Entry, long PageSizeKb)> PoolDirectories(HostRoot root, string dir) =>
        root.List(dir)
            .Select(e => e.StartsWith("hugepages-", StringComparison.Ordinal) && e.EndsWith("kB", StringComparison.Ordinal)
                && long.TryParse(e["hugepages-".Length..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var size) ? (e, size) : (e, -1L))
            .Where(p => p.Item2 >= 0)
            .OrderBy(p => p.Item2)
            .ToList();

    /// <summary>
    /// A kB value from a meminfo text (<c>Node 0 MemTotal: 123 kB</c> or <c>MemTotal: 123 kB</c>): the line whose
    /// field name is exactly <paramref name="field"/>; null when there is none or its number does not parse.
    /// </summary>
    public static long? MeminfoKb(string meminfo, string field)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0 || !line[..colon].EndsWith(field, StringComparison.Ordinal)
                || (colon > field.Length && line[colon - field.Length - 1] != ' '))
            {
                continue;
            }
            var number = line[(colon + 1)..].Trim().Split(' ')[0];
            return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : null;
        }
        return null;
    }
}
