using System.Globalization;

namespace KvmNovaTuner.Core.HostProfile;

/// <summary>
/// What a profile tells the agent's controllers: whether KSM is adaptive, the hugepage budget (percent of each node's
/// memory), the release grace, and the pools the profile reserves (floors the controller never shrinks below).
/// Keys: <c>controller.ksm_adaptive</c>, <c>controller.hugepage_budget_percent</c>,
/// <c>controller.hugepage_release_grace_seconds</c>, <c>hugepages.SIZEkB</c>.
/// </summary>
public sealed record ControllerSettings(bool KsmAdaptive, int HugepageBudgetPercent, TimeSpan HugepageReleaseGrace, IReadOnlyDictionary<long, long> ReservedPagesPerNodeBySize)
{
    public const int DefaultBudgetPercent = 50;
    public static readonly TimeSpan DefaultReleaseGrace = TimeSpan.FromMinutes(5);

    public static ControllerSettings From(ResolvedProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        string? Get(string key) => profile.Settings.TryGetValue(key, out var v) ? v : null;
        var reserved = new Dictionary<long, long>();
        foreach (var (key, value) in profile.Settings)
        {
            if (key.StartsWith("hugepages.", StringComparison.Ordinal) && key.EndsWith("kB", StringComparison.Ordinal)
                && long.TryParse(key["hugepages.".Length..^2], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pages))
            {
                reserved[size] = pages;
            }
        }
        return new ControllerSettings(
            string.Equals(Get("controller.ksm_adaptive"), "true", StringComparison.OrdinalIgnoreCase),
            int.TryParse(Get("controller.hugepage_budget_percent"), NumberStyles.None, CultureInfo.InvariantCulture, out var percent) && percent is > 0 and <= 100
                ? percent : DefaultBudgetPercent,
            int.TryParse(Get("controller.hugepage_release_grace_seconds"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds) : DefaultReleaseGrace,
            reserved);
    }

    /// <summary>The floors of every node that offers a reserved size, keyed by (node, page size).</summary>
    public IReadOnlyDictionary<(int Node, long PageSizeKb), long> Floors(IEnumerable<NumaNodeFacts> nodes)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        return nodes
            .SelectMany(n => n.Pools.Where(p => ReservedPagesPerNodeBySize.ContainsKey(p.PageSizeKb)).Select(p => (n.Id, p.PageSizeKb)))
            .ToDictionary(k => k, k => ReservedPagesPerNodeBySize[k.PageSizeKb]);
    }

    /// <summary>The budget for a node of <paramref name="nodeMemoryKb"/>.</summary>
    public HugepageBudget Budget(long nodeMemoryKb) => HugepageBudget.FractionOf(nodeMemoryKb, HugepageBudgetPercent / 100.0);
}
