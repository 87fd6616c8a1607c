namespace KvmNovaTuner.Core.HostProfile;

/// <summary>
/// One guest's hugepage need as its domain states it (<c>memoryBacking/hugepages</c>): page size, pages, the NUMA
/// nodes its memory is bound to (null: any node, so it counts on every node) and whether it runs now.
/// </summary>
public sealed record GuestHugepageNeed(string Guest, long PageSizeKb, long Pages, IReadOnlySet<int>? Nodes, bool Active);

/// <summary>The lowest total a pool may be set to, and why: what neither a profile nor a controller may take away.</summary>
public sealed record PoolFloor(long Pages, long InUse, long Promised, string Reason);

/// <summary>
/// The host-safety rule for hugepage pools: never below the pages in use (total − free) plus the pages promised to
/// guests on the host. Running guests may not have touched all their pages yet (free includes reserved, unfaulted
/// pages), so they count for at least their whole need; defined guests that are not running count in full, as
/// their next start needs the pages. A guest without a node binding counts on every node (it may land on any).
/// </summary>
public static class HugepageFloor
{
    public static PoolFloor Of(int node, long pageSizeKb, long total, long free, IEnumerable<GuestHugepageNeed>? guests)
    {
        var inUse = Math.Max(total - free, 0);
        var here = (guests ?? []).Where(g => g.PageSizeKb == pageSizeKb && (g.Nodes is null || g.Nodes.Contains(node))).ToList();
        var running = here.Where(g => g.Active).Sum(g => g.Pages);
        var stopped = here.Where(g => !g.Active).Sum(g => g.Pages);
        var floor = Math.Max(inUse, running) + stopped;
        var promised = floor - inUse;
        var reason = here.Count == 0
            ? $"{inUse} pages in use"
            : $"{inUse} pages in use + {promised} promised to {here.Count} guest(s) on the host ({string.Join(", ", here.Select(g => g.Guest).Distinct(StringComparer.Ordinal).Take(5))})";
        return new PoolFloor(floor, inUse, promised, reason);
    }
}

/// <summary>Reads a guest's hugepage need from its observed domain.</summary>
public static class GuestHugepages
{
    /// <summary>x86-64's default huge page size, used for <c>&lt;hugepages/&gt;</c> without a <c>&lt;page&gt;</c>.</summary>
    public const long DefaultPageSizeKb = 2048;

    /// <summary>Null when the domain is not backed by hugepages.</summary>
    public static GuestHugepageNeed? Need(State.DomainState domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        if (domain.HugepageSizeKb is not { } size || domain.MemoryKb <= 0)
        {
            return null;
        }
        var pageKb = size > 0 ? size : DefaultPageSizeKb;
        var pages = (domain.MemoryKb + pageKb - 1) / pageKb;
        var nodes = Topology.CpuList.Parse(domain.NumaNodeset);
        return new GuestHugepageNeed(domain.Name.Length > 0 ? domain.Name : domain.Uuid, pageKb, pages, nodes, domain.Active);
    }
}
