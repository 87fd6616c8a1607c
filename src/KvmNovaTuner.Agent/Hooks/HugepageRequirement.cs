using System.Globalization;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// The <c>tuner:require=true</c> rule for <c>prepare</c>, a pure function: when the flavor asks for hugepages
/// (<c>hw:mem_page_size</c> other than small/any), every guest NUMA cell must find enough free pages of the domain's page
/// size on the host node(s) <c>&lt;numatune&gt;</c> binds it to (on distinct nodes when unbound). Returns the reason the
/// host cannot honour the flavor, or null when it can (or the flavor does not require it).
/// </summary>
public static class HugepageRequirement
{
    public static string? Check(HookDomain domain, TuningSpec spec, HostTopology topology)
    {
        if (spec.Require != true || spec.MemPageSize is not { } page || page.Kind is PageSizeKind.Small or PageSizeKind.Any || page is { Kind: PageSizeKind.Size, IsHugepage: false })
        {
            return null;
        }
        if (topology.IsUnknown)
        {
            return "the host's NUMA nodes and hugepage pools could not be read";
        }
        var sizes = domain.HugepageSizeKb is { } xmlSize ? [xmlSize]
            : page.SizeKb is { } specSize ? [specSize]
            : topology.Cells.SelectMany(c => c.Hugepages).Select(p => p.PageSizeKb).Where(s => s > PageSize.SmallPageKb).Distinct().Order().ToList();
        if (sizes.Count == 0)
        {
            return "hw:mem_page_size=large but the host has no hugepage pool";
        }
        var cells = domain.Cells.Count > 0 ? domain.Cells : [new HookGuestCell(0, domain.MemoryKb, domain.MemoryNodeset)];
        // Any size that covers the guest will do (large); the refusal names the smallest size's shortage.
        var reasons = sizes.Select(size => CheckSize(cells, size, topology)).ToList();
        return reasons.Any(r => r is null) ? null : reasons[0];
    }

    private static string? CheckSize(IReadOnlyList<HookGuestCell> cells, long sizeKb, HostTopology topology)
    {
        var pages = (HookGuestCell c) => (c.MemoryKb + sizeKb - 1) / sizeKb;
        foreach (var group in cells.Where(c => c.HostNodeset is not null).GroupBy(c => c.HostNodeset!))
        {
            var nodes = CpuList.Parse(group.Key) ?? new HashSet<int>();
            var need = group.Sum(pages);
            var free = nodes.Sum(n => Free(topology, n, sizeKb));
            if (free < need)
            {
                return $"the guest needs {need} free {Kb(sizeKb)} kB hugepages on host NUMA node(s) {group.Key} and {free} are free";
            }
        }
        var unbound = cells.Where(c => c.HostNodeset is null).Select(pages).OrderDescending().ToList();
        var nodesByFree = topology.Cells.Select(c => (c.Id, Free: Free(topology, c.Id, sizeKb))).OrderByDescending(n => n.Free).ToList();
        for (var i = 0; i < unbound.Count; i++)
        {
            if (i >= nodesByFree.Count || nodesByFree[i].Free < unbound[i])
            {
                var best = nodesByFree.Count > 0 ? $"the most on one node is {nodesByFree[0].Free} (node {nodesByFree[0].Id})" : "the host has no NUMA node";
                return $"the guest needs {unbound.Count} NUMA node(s) with {unbound[0]} free {Kb(sizeKb)} kB hugepages each; {best}";
            }
        }
        return null;
    }

    private static long Free(HostTopology topology, int node, long sizeKb) => topology.CellById(node)?.Pool(sizeKb)?.Free ?? 0;

    private static string Kb(long sizeKb) => sizeKb.ToString(CultureInfo.InvariantCulture);
}
