using System.Globalization;
using System.Xml.Linq;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Libvirt.Reconciliation;

/// <summary>
/// The host topology as libvirt reports it: NUMA cells with CPUs and SMT siblings from the capabilities XML,
/// or, where a driver reports no cells (the test driver), cells laid out from virNodeGetInfo's counts.
/// Hugepage pools are not read here (sysfs under a HostRoot is the source for those). Housekeeping CPUs are
/// the CPUs no domain has a vCPU pinned to, unless the caller names them.
/// </summary>
public static class LibvirtTopologyReader
{
    public static HostTopology Read(LibvirtConnection connection, IReadOnlySet<int>? housekeeping = null)
    {
        var cells = FromCapabilities(connection.GetCapabilities());
        if (cells.Count == 0)
        {
            cells = FromNodeInfo(connection.GetNodeInfo());
        }
        var all = cells.SelectMany(c => c.Cpus).ToHashSet();
        return new HostTopology(cells, (housekeeping ?? all.Except(PinnedVcpuCpus(connection))).Where(all.Contains).ToHashSet());
    }

    /// <summary>Pure part: the cells of a capabilities document (empty when it lists none).</summary>
    public static List<NumaCell> FromCapabilities(string capabilitiesXml)
    {
        var cells = XElement.Parse(capabilitiesXml).Element("host")?.Element("topology")?.Element("cells")?.Elements("cell") ?? [];
        return cells.Select(cell =>
        {
            var cpus = cell.Element("cpus")?.Elements("cpu").ToList() ?? [];
            var ids = cpus.Select(c => Int(c.Attribute("id")?.Value)).ToList();
            var siblings = cpus.ToDictionary(
                c => Int(c.Attribute("id")?.Value),
                c => (IReadOnlyList<int>)(CpuList.Parse(c.Attribute("siblings")?.Value) ?? new HashSet<int> { Int(c.Attribute("id")?.Value) }).Order().ToList());
            var memory = Xml.DomainReader.ToKib(long.TryParse(cell.Element("memory")?.Value, CultureInfo.InvariantCulture, out var m) ? m : 0, cell.Element("memory")?.Attribute("unit")?.Value) ?? 0;
            return new NumaCell(Int(cell.Attribute("id")?.Value), ids, siblings, memory, []);
        }).ToList();
    }

    /// <summary>Pure part: cells numbered in order, each with sockets x cores x threads CPUs; threads of a core are siblings.</summary>
    public static List<NumaCell> FromNodeInfo(HostNodeInfo info)
    {
        var nodes = Math.Max(info.Nodes, 1);
        var threads = Math.Max(info.Threads, 1);
        var perCell = Math.Max(info.Sockets, 1) * Math.Max(info.Cores, 1) * threads;
        return Enumerable.Range(0, nodes).Select(cell =>
        {
            var cpus = Enumerable.Range(cell * perCell, perCell).ToList();
            var siblings = cpus.ToDictionary(cpu => cpu, cpu => (IReadOnlyList<int>)Enumerable.Range(cpu - ((cpu - (cell * perCell)) % threads), threads).ToList());
            return new NumaCell(cell, cpus, siblings, info.MemoryKb / nodes, []);
        }).ToList();
    }

    private static HashSet<int> PinnedVcpuCpus(LibvirtConnection connection)
    {
        var pinned = new HashSet<int>();
        foreach (var domain in connection.ListAllDomains())
        {
            using (domain)
            {
                var state = Xml.DomainReader.Read(domain.GetXml(inactive: true), active: false);
                pinned.UnionWith(state.VcpuPins.Values.SelectMany(p => CpuSet.Parse(p).Cpus));
            }
        }
        return pinned;
    }

    private static int Int(string? text) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
