namespace KvmNovaTuner.Core.HostProfile;

/// <summary>
/// How much memory each NUMA node may hold in hugepage pools (all sizes together), in KiB, and optionally a cap in
/// pages per node for single sizes (the agent's <c>hugepages_2m_budget</c>, <c>hugepages_1g_budget</c>).
/// </summary>
public sealed record HugepageBudget(long MaxPoolKbPerNode, IReadOnlyDictionary<long, long>? MaxPagesPerNodeBySize = null)
{
    /// <summary>The most pages of <paramref name="pageSizeKb"/> a node may hold when <paramref name="otherKb"/> is held in other sizes.</summary>
    public long MaxPages(long pageSizeKb, long otherKb)
    {
        var byMemory = Math.Max(MaxPoolKbPerNode - otherKb, 0) / pageSizeKb;
        return MaxPagesPerNodeBySize is { } caps && caps.TryGetValue(pageSizeKb, out var cap) ? Math.Min(byMemory, cap) : byMemory;
    }

    /// <summary>A budget that is a share of the node's memory.</summary>
    public static HugepageBudget FractionOf(long nodeMemoryKb, double fraction) => new((long)(nodeMemoryKb * fraction));
}

/// <summary>One pool as observed (page counts): total (<c>nr_hugepages</c>) and free.</summary>
public sealed record PoolObservation(int Node, long PageSizeKb, long Total, long Free);

/// <summary>
/// A change to one pool: its new total and, when the wanted total did not fit the budget, how many pages are short.
/// </summary>
public sealed record PoolDecision(int Node, long PageSizeKb, long CurrentTotal, long NewTotal, long ShortagePages, string Reason)
{
    public bool Changes => NewTotal != CurrentTotal;
}

/// <summary>Pure pool decisions: grow ahead of a boot within the budget; release unused pages down to a floor.</summary>
public static class HugepagePoolPolicy
{
    /// <summary>
    /// Grows a pool to <paramref name="wantedTotal"/> pages, capped so that every pool of the node stays within the
    /// budget; never shrinks. The rest is reported as shortage.
    /// </summary>
    public static PoolDecision Grow(int node, long pageSizeKb, long wantedTotal, IReadOnlyList<PoolObservation> nodePools, HugepageBudget budget)
    {
        ArgumentNullException.ThrowIfNull(nodePools);
        ArgumentNullException.ThrowIfNull(budget);
        var pool = nodePools.FirstOrDefault(p => p.Node == node && p.PageSizeKb == pageSizeKb) ?? new PoolObservation(node, pageSizeKb, 0, 0);
        if (pool.Total >= wantedTotal)
        {
            return new(node, pageSizeKb, pool.Total, pool.Total, 0, $"pool already holds {pool.Total} >= {wantedTotal} pages");
        }
        var otherKb = nodePools.Where(p => p.Node == node && p.PageSizeKb != pageSizeKb).Sum(p => p.Total * p.PageSizeKb);
        var allowed = Math.Max(budget.MaxPages(pageSizeKb, otherKb), pool.Total);
        var newTotal = Math.Min(wantedTotal, allowed);
        var shortage = wantedTotal - newTotal;
        var reason = shortage == 0
            ? $"grow node {node} {pageSizeKb} kB pool {pool.Total} -> {newTotal} pages ahead of a boot"
            : $"node {node} {pageSizeKb} kB pool needs {wantedTotal} pages but the budget allows {newTotal}: {shortage} pages short";
        return new(node, pageSizeKb, pool.Total, newTotal, shortage, reason);
    }

    /// <summary>Releases free pages above <paramref name="floorPages"/> (the profile's reservation); null when none are unused.</summary>
    public static PoolDecision? Shrink(PoolObservation pool, long floorPages)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var newTotal = Math.Max(pool.Total - pool.Free, floorPages);
        if (newTotal >= pool.Total)
        {
            return null;
        }
        return new(pool.Node, pool.PageSizeKb, pool.Total, newTotal, 0,
            $"release {pool.Total - newTotal} unused {pool.PageSizeKb} kB pages on node {pool.Node} (floor {floorPages})");
    }

    /// <summary>How many pages were not obtained after a write: the kernel may grant fewer when memory is fragmented.</summary>
    public static long Shortfall(long wantedTotal, long readBackTotal) => Math.Max(wantedTotal - readBackTotal, 0);
}
