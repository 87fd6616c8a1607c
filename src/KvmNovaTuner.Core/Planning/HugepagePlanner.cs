using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Planning;

/// <summary>
/// Before a boot on this host, makes sure enough NUMA nodes have free hugepages of the flavor's size for every guest
/// cell, growing the pools that need the least within the per-node budget; reports a shortage it cannot cover.
/// </summary>
internal static class HugepagePlanner
{
    public static void Plan(PlanContext c)
    {
        if (c.Spec.MemPageSize is not { } page || page.Kind is PageSizeKind.Small or PageSizeKind.Any || page is { Kind: PageSizeKind.Size, IsHugepage: false })
        {
            return;
        }
        if (c.Topology.IsUnknown)
        {
            c.Builder.Diagnose(DiagnosticSeverity.Info, SpecKeys.MemPageSize, "host topology unknown: hugepage pools not checked");
            return;
        }
        if (c.Spec.MemoryMb is not { } memoryMb)
        {
            c.Builder.Diagnose(DiagnosticSeverity.Warning, SpecKeys.MemPageSize, "the flavor's memory is unknown: hugepage pools not checked");
            return;
        }
        var sizeKb = page.SizeKb ?? LargeSize(c, memoryMb);
        var guestCells = c.Spec.NumaCells.Count > 0 ? c.Spec.NumaCells.Select(g => g.MemoryMb).ToList() : [memoryMb];
        var needPages = (guestCells.Max() * 1024 + sizeKb - 1) / sizeKb;
        var cellsNeeded = guestCells.Count;
        if (cellsNeeded > c.Topology.Cells.Count)
        {
            c.Builder.Diagnose(DiagnosticSeverity.Error, SpecKeys.MemPageSize, $"the guest has {cellsNeeded} NUMA nodes but this host only {c.Topology.Cells.Count}");
            return;
        }
        var covering = c.Topology.Cells.Count(cell => (cell.Pool(sizeKb)?.Free ?? 0) >= needPages);
        var candidates = c.Topology.Cells
            .Where(cell => (cell.Pool(sizeKb)?.Free ?? 0) < needPages)
            .Select(cell => (Cell: cell, Growth: needPages - (cell.Pool(sizeKb)?.Free ?? 0), Budget: BudgetPages(c.Options, cell, sizeKb)))
            .OrderBy(x => (x.Cell.Pool(sizeKb)?.Total ?? 0) + x.Growth > x.Budget)
            .ThenBy(x => x.Growth)
            .ThenBy(x => x.Cell.Id)
            .Take(Math.Max(0, cellsNeeded - covering));
        foreach (var (cell, growth, budget) in candidates)
        {
            var total = cell.Pool(sizeKb)?.Total ?? 0;
            var wanted = total + growth;
            var name = $"hugepages-{sizeKb}kB";
            if (wanted > budget)
            {
                c.Builder.Diagnose(DiagnosticSeverity.Error, SpecKeys.MemPageSize,
                    $"hugepage shortage on node {cell.Id}: the guest needs {needPages} free {sizeKb} kB pages, {cell.Pool(sizeKb)?.Free ?? 0} are free and the budget allows a pool of {budget} (fix: raise the hugepage budget or reserve pages at boot)");
                continue;
            }
            var settings = new Dictionary<string, string>
            {
                ["node"] = PlanContext.Text(cell.Id),
                ["page_size_kb"] = PlanContext.Text(sizeKb),
                ["nr_hugepages"] = PlanContext.Text(wanted),
            };
            c.Builder.Add(ActionKinds.HugepagePool, $"node/{cell.Id}/{name}", settings, ActionTiming.Host,
                $"{SpecKeys.MemPageSize}: the guest needs {needPages} free {sizeKb} kB pages on a node, node {cell.Id} has {cell.Pool(sizeKb)?.Free ?? 0}", null);
        }
    }

    /// <summary><c>large</c>: the biggest pool size that already covers the guest on some node, else the configured size.</summary>
    private static long LargeSize(PlanContext c, long memoryMb) =>
        c.Topology.Cells.SelectMany(cell => cell.Hugepages)
            .Where(p => p.PageSizeKb > PageSize.SmallPageKb && p.Free * p.PageSizeKb >= memoryMb * 1024)
            .Select(p => p.PageSizeKb)
            .DefaultIfEmpty(c.Options.LargePageSizeKb)
            .Max();

    private static long BudgetPages(PlannerOptions options, NumaCell cell, long sizeKb)
    {
        var budgetKb = options.HugepageBudgetKbPerNode ?? (long)(cell.MemoryKb * options.HugepageBudgetFraction);
        return budgetKb / sizeKb;
    }
}
