namespace KvmNovaTuner.Core.Planning;

/// <summary>How the planner decides what the flavor alone does not say (budgets, which events precede a boot).</summary>
public sealed record PlannerOptions
{
    public static PlannerOptions Default { get; } = new();

    /// <summary>Largest share of a NUMA node's memory its hugepage pools may hold after growing (0-1).</summary>
    public double HugepageBudgetFraction { get; init; } = 0.5;

    /// <summary>Absolute per-node ceiling on hugepage pool memory in KiB; overrides the fraction when set.</summary>
    public long? HugepageBudgetKbPerNode { get; init; }

    /// <summary>Page size used for <c>hw:mem_page_size=large</c> when the host has no pool that already covers the guest.</summary>
    public long LargePageSizeKb { get; init; } = 2048;

    /// <summary>Events after which the guest boots on this host: host resources (hugepages) are prepared, domain tuning waits for the boot.</summary>
    public IReadOnlySet<string> PreBootEvents { get; init; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "instance.create.start",
        "instance.live_migration_pre.start",
        "instance.resize_prep.start",
        "instance.unshelve.start",
        "instance.power_on.start",
        "instance.evacuate.start",
        "instance.rebuild.start",
    };

    /// <summary>Event-type prefixes after which the instance leaves the host: nothing is tuned.</summary>
    public IReadOnlyList<string> LeavingEventPrefixes { get; init; } =
        ["instance.delete.", "instance.shutdown.", "instance.shelve_offload."];
}
