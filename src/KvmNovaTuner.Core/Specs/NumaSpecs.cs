using System.Globalization;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Specs;

/// <summary>
/// Builds the guest NUMA cells: symmetric from <c>hw:numa_nodes</c>, or from <c>hw:numa_cpus.N</c>/<c>hw:numa_mem.N</c>
/// given for every node, covering every vCPU exactly once and adding up to the flavor's memory.
/// </summary>
internal static class NumaSpecs
{
    public static IReadOnlyList<GuestNumaCell> ReadCells(SpecReader r, int? nodes, int? vcpus, int? memoryMb)
    {
        var cpuKeys = r.All.Keys.Where(k => k.StartsWith(SpecKeys.NumaCpusPrefix, StringComparison.Ordinal)).ToList();
        var memKeys = r.All.Keys.Where(k => k.StartsWith(SpecKeys.NumaMemPrefix, StringComparison.Ordinal)).ToList();
        if (nodes is null)
        {
            foreach (var key in cpuKeys.Concat(memKeys))
            {
                r.Warning(key, r.Raw(key), "is ignored without hw:numa_nodes", "set hw:numa_nodes or remove the key");
            }
            return [];
        }
        if (cpuKeys.Count == 0 && memKeys.Count == 0)
        {
            return SymmetricCells(r, nodes.Value, vcpus, memoryMb);
        }
        var cpus = new Dictionary<int, IReadOnlySet<int>>();
        var mems = new Dictionary<int, long>();
        var ok = true;
        foreach (var key in cpuKeys)
        {
            var cell = CellIndex(r, key, SpecKeys.NumaCpusPrefix, nodes.Value);
            var set = CellCpus(r, key, vcpus);
            ok &= cell is not null && set is not null;
            if (cell is { } c && set is not null)
            {
                cpus[c] = set;
            }
        }
        foreach (var key in memKeys)
        {
            var cell = CellIndex(r, key, SpecKeys.NumaMemPrefix, nodes.Value);
            var mb = r.Long(key, 1, 1L << 40, "MB");
            ok &= cell is not null && mb is not null;
            if (cell is { } c && mb is { } m)
            {
                mems[c] = m;
            }
        }
        for (var cell = 0; cell < nodes.Value; cell++)
        {
            foreach (var prefix in new[] { SpecKeys.NumaCpusPrefix, SpecKeys.NumaMemPrefix })
            {
                if (!r.Has(prefix + cell.ToString(CultureInfo.InvariantCulture)))
                {
                    ok = false;
                    r.Error(prefix + cell.ToString(CultureInfo.InvariantCulture), null, $"is missing: hw:numa_cpus.N and hw:numa_mem.N must be given for every node 0-{nodes - 1}", $"add {prefix}{cell}");
                }
            }
        }
        return ok ? CheckCoverage(r, nodes.Value, cpus, mems, vcpus, memoryMb) : [];
    }

    private static IReadOnlyList<GuestNumaCell> SymmetricCells(SpecReader r, int nodes, int? vcpus, int? memoryMb)
    {
        if (vcpus is not { } n || memoryMb is not { } mem)
        {
            return [];
        }
        if (n % nodes != 0 || mem % nodes != 0)
        {
            r.Error(SpecKeys.NumaNodes, nodes.ToString(CultureInfo.InvariantCulture), $"does not divide the flavor's {n} vCPUs and {mem} MB evenly",
                "choose a node count that divides both, or give hw:numa_cpus.N and hw:numa_mem.N for every node");
            return [];
        }
        return [.. Enumerable.Range(0, nodes).Select(c => new GuestNumaCell(c, Enumerable.Range(c * (n / nodes), n / nodes).ToHashSet(), mem / nodes))];
    }

    private static int? CellIndex(SpecReader r, string key, string prefix, int nodes)
    {
        if (int.TryParse(key[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var cell) && cell < nodes)
        {
            return cell;
        }
        r.Error(key, r.Raw(key), $"names a node outside 0-{nodes - 1} (hw:numa_nodes={nodes})", "number guest nodes from 0 to hw:numa_nodes-1");
        return null;
    }

    private static IReadOnlySet<int>? CellCpus(SpecReader r, string key, int? vcpus)
    {
        var text = r.Raw(key);
        var set = CpuList.Parse(text);
        if (set is null || set.Count == 0)
        {
            r.Error(key, text, "is not a vCPU list", "write vCPU numbers and ranges like 0-1,4");
            return null;
        }
        if (vcpus is { } n && set.Any(v => v >= n))
        {
            r.Error(key, text, $"names vCPUs beyond the flavor's {n}", $"use vCPU numbers 0-{n - 1}");
            return null;
        }
        return set;
    }

    private static IReadOnlyList<GuestNumaCell> CheckCoverage(SpecReader r, int nodes, Dictionary<int, IReadOnlySet<int>> cpus, Dictionary<int, long> mems, int? vcpus, int? memoryMb)
    {
        var ok = true;
        var seen = new HashSet<int>();
        for (var cell = 0; cell < nodes; cell++)
        {
            var overlap = cpus[cell].Where(v => !seen.Add(v)).ToList();
            if (overlap.Count > 0)
            {
                ok = false;
                var key = SpecKeys.NumaCpusPrefix + cell.ToString(CultureInfo.InvariantCulture);
                r.Error(key, r.Raw(key), $"repeats vCPU(s) {CpuList.Format(overlap)} already given to another node", "give each vCPU to exactly one node");
            }
        }
        if (vcpus is { } n && seen.Count != n)
        {
            ok = false;
            var missing = Enumerable.Range(0, n).Except(seen).ToList();
            r.Error(SpecKeys.NumaCpusPrefix + "N", CpuList.Format(seen), $"does not cover the flavor's {n} vCPUs (missing {CpuList.Format(missing)})", "list every vCPU in exactly one hw:numa_cpus.N");
        }
        if (memoryMb is { } mem && mems.Values.Sum() != mem)
        {
            ok = false;
            r.Error(SpecKeys.NumaMemPrefix + "N", mems.Values.Sum().ToString(CultureInfo.InvariantCulture), $"adds up to a different size than the flavor's {mem} MB", "make the hw:numa_mem.N values add up to the flavor's ram");
        }
        return ok ? [.. Enumerable.Range(0, nodes).Select(c => new GuestNumaCell(c, cpus[c], mems[c]))] : [];
    }
}
