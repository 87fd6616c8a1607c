using System.Globalization;
using System.Text;

namespace KvmNovaTuner.Core.Topology;

/// <summary>
/// CPU list text as Linux, libvirt and Nova write it (<c>0-3,8,10-11</c>; Nova masks may exclude with <c>^N</c>).
/// Parsing returns null on malformed text so callers can name the problem; formatting is canonical and compact.
/// </summary>
public static class CpuList
{
    /// <summary>Parses a list without exclusions (<c>0-3,5</c>); null when malformed or when it holds <c>^</c>.</summary>
    public static IReadOnlySet<int>? Parse(string? text) => ParseCore(text, allowExclusions: false, universe: null);

    /// <summary>
    /// Parses a Nova mask. Terms add CPUs; <c>^N</c> terms remove them. A mask made only of exclusions
    /// (<c>^0-1</c>) starts from <paramref name="universe"/> (e.g. every vCPU). Null when malformed.
    /// </summary>
    public static IReadOnlySet<int>? ParseMask(string? text, IEnumerable<int> universe) =>
        ParseCore(text, allowExclusions: true, universe: universe);

    /// <summary>Canonical compact text: sorted, ranges joined (<c>0-3,5</c>); empty for an empty set.</summary>
    public static string Format(IEnumerable<int> cpus)
    {
        var sorted = cpus.Distinct().Order().ToList();
        var builder = new StringBuilder();
        for (var i = 0; i < sorted.Count; i++)
        {
            var start = sorted[i];
            while (i + 1 < sorted.Count && sorted[i + 1] == sorted[i] + 1)
            {
                i++;
            }
            if (builder.Length > 0)
            {
                builder.Append(',');
            }
            builder.Append(start.ToString(CultureInfo.InvariantCulture));
            if (sorted[i] != start)
            {
                builder.Append('-').Append(sorted[i].ToString(CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    /// <summary>True when two cpuset texts name the same CPUs (so <c>0,1</c> equals <c>0-1</c>).</summary>
    public static bool SameSet(string? left, string? right)
    {
        var a = Parse(left);
        var b = Parse(right);
        return a is not null && b is not null && a.SetEquals(b);
    }

    private static HashSet<int>? ParseCore(string? text, bool allowExclusions, IEnumerable<int>? universe)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var include = new HashSet<int>();
        var exclude = new HashSet<int>();
        var anyInclude = false;
        foreach (var raw in text.Split(','))
        {
            var term = raw.Trim();
            var excluded = term.StartsWith('^');
            if (excluded && !allowExclusions)
            {
                return null;
            }
            if (!TryParseRange(excluded ? term[1..] : term, out var first, out var last))
            {
                return null;
            }
            var target = excluded ? exclude : include;
            anyInclude |= !excluded;
            for (var cpu = first; cpu <= last; cpu++)
            {
                target.Add(cpu);
            }
        }
        if (!anyInclude && universe is not null)
        {
            include.UnionWith(universe);
        }
        include.ExceptWith(exclude);
        return include;
    }

    private static bool TryParseRange(string term, out int first, out int last)
    {
        first = last = -1;
        var dash = term.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0)
        {
            return TryParseCpu(term, out first) && (last = first) >= 0;
        }
        return TryParseCpu(term[..dash], out first) && TryParseCpu(term[(dash + 1)..], out last) && first <= last && last - first < 65536;
    }

    private static bool TryParseCpu(string text, out int cpu) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out cpu) && cpu < 1 << 20;
}
