using System.Globalization;
using System.Text;

namespace KvmNovaTuner.Libvirt;

/// <summary>
/// A set of host CPU numbers in libvirt's cpuset syntax (<c>0-3,^2,8</c>) and as the byte bitmap the pin
/// APIs take. Two cpusets are equal when they name the same CPUs, whatever their spelling.
/// </summary>
public sealed class CpuSet : IEquatable<CpuSet>
{
    private readonly SortedSet<int> cpus;

    private CpuSet(SortedSet<int> cpus) => this.cpus = cpus;

    public IReadOnlyCollection<int> Cpus => cpus;

    public static CpuSet Of(IEnumerable<int> cpus) => new(new SortedSet<int>(cpus));

    /// <summary>Parses <c>0-3,^2,8</c>; throws <see cref="FormatException"/> naming the bad part.</summary>
    public static CpuSet Parse(string text)
    {
        var set = new SortedSet<int>();
        foreach (var raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var exclude = raw.StartsWith('^');
            var part = exclude ? raw[1..] : raw;
            var dash = part.IndexOf('-');
            var (from, to) = dash < 0 ? (Number(part, text), Number(part, text)) : (Number(part[..dash], text), Number(part[(dash + 1)..], text));
            if (to < from)
            {
                throw new FormatException($"cpuset '{text}': range '{part}' runs backwards");
            }
            for (var cpu = from; cpu <= to; cpu++)
            {
                if (exclude)
                {
                    set.Remove(cpu);
                }
                else
                {
                    set.Add(cpu);
                }
            }
        }
        if (set.Count == 0)
        {
            throw new FormatException($"cpuset '{text}' names no CPU");
        }
        return new CpuSet(set);
    }

    private static int Number(string part, string text) =>
        int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < 65536
            ? n
            : throw new FormatException($"cpuset '{text}': '{part}' is not a CPU number");

    /// <summary>Reads a libvirt cpumap (bit N of byte N/8 = CPU N).</summary>
    public static CpuSet FromBitmap(ReadOnlySpan<byte> map)
    {
        var set = new SortedSet<int>();
        for (var cpu = 0; cpu < map.Length * 8; cpu++)
        {
            if ((map[cpu / 8] & (1 << (cpu % 8))) != 0)
            {
                set.Add(cpu);
            }
        }
        return new CpuSet(set);
    }

    /// <summary>The cpumap for a host with <paramref name="hostCpus"/> CPUs; CPUs beyond it are an error.</summary>
    public byte[] ToBitmap(int hostCpus)
    {
        var max = cpus.Max;
        if (max >= hostCpus)
        {
            throw new FormatException($"cpuset '{this}' names CPU {max} but the host has {hostCpus} CPUs");
        }
        var map = new byte[(hostCpus + 7) / 8];
        foreach (var cpu in cpus)
        {
            map[cpu / 8] |= (byte)(1 << (cpu % 8));
        }
        return map;
    }

    /// <summary>The shortest libvirt spelling: ranges joined by commas (<c>0-3,8</c>).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        int? start = null, prev = null;
        foreach (var cpu in cpus.Append(int.MaxValue))
        {
            if (prev is not null && cpu != prev + 1)
            {
                text.Append(text.Length > 0 ? "," : "").Append(start == prev ? $"{start}" : $"{start}-{prev}");
                start = cpu;
            }
            start ??= cpu;
            prev = cpu;
        }
        return text.ToString();
    }

    public bool Equals(CpuSet? other) => other is not null && cpus.SetEquals(other.cpus);

    public override bool Equals(object? obj) => Equals(obj as CpuSet);

    public override int GetHashCode() => cpus.Aggregate(17, (h, c) => (h * 31) + c);
}
