namespace KvmNovaTuner.Core.HostProfile;

/// <summary>
/// The hugepage pool controller over time: grows a node's pool at once ahead of a boot, and releases unused pages only
/// after they have stayed unused for a grace period (so a delete followed by a re-create, or a boot still starting,
/// does not thrash the pool). Floors are the pools the profile reserves. The clock is passed in, never read.
/// </summary>
public sealed class HugepagePoolController
{
    private readonly HugepageBudget _budget;
    private readonly TimeSpan _grace;
    private readonly IReadOnlyDictionary<(int Node, long PageSizeKb), long> _floors;
    private readonly Dictionary<(int Node, long PageSizeKb), DateTimeOffset> _unusedSince = [];

    public HugepagePoolController(HugepageBudget budget, TimeSpan grace, IReadOnlyDictionary<(int Node, long PageSizeKb), long>? floors = null)
    {
        ArgumentNullException.ThrowIfNull(budget);
        _budget = budget;
        _grace = grace;
        _floors = floors ?? new Dictionary<(int, long), long>();
    }

    public HugepageBudget Budget => _budget;

    /// <summary>The grow decision for a boot that needs <paramref name="wantedTotal"/> pages in this pool.</summary>
    public PoolDecision Grow(DateTimeOffset now, int node, long pageSizeKb, long wantedTotal, IReadOnlyList<PoolObservation> nodePools)
    {
        // pages reserved for a boot count as used until the grace period has passed
        _unusedSince[(node, pageSizeKb)] = now;
        return HugepagePoolPolicy.Grow(node, pageSizeKb, wantedTotal, nodePools, _budget);
    }

    /// <summary>
    /// Shrink decisions for pools whose free pages above the floor have been unused for the grace period. The floor of
    /// a pool is the profile's reservation or, when higher, its pages in use plus those promised to <paramref name="guests"/>.
    /// </summary>
    public IReadOnlyList<PoolDecision> Tick(DateTimeOffset now, IReadOnlyList<PoolObservation> pools, IReadOnlyList<GuestHugepageNeed>? guests = null)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var decisions = new List<PoolDecision>();
        foreach (var pool in pools)
        {
            var key = (pool.Node, pool.PageSizeKb);
            var safe = HugepageFloor.Of(pool.Node, pool.PageSizeKb, pool.Total, pool.Free, guests).Pages;
            var decision = HugepagePoolPolicy.Shrink(pool, Math.Max(_floors.GetValueOrDefault(key), safe));
            if (decision is null)
            {
                _unusedSince.Remove(key);
                continue;
            }
            if (!_unusedSince.TryGetValue(key, out var since))
            {
                _unusedSince[key] = now;
                continue;
            }
            if (now - since >= _grace)
            {
                decisions.Add(decision);
                _unusedSince.Remove(key);
            }
        }
        return decisions;
    }
}
