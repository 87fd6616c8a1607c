namespace KvmNovaTuner.Core.Plans;

/// <summary>The outcome of one action: what it replaced, what is there now, and why.</summary>
public sealed record ActionResult(
    string Kind,
    string Target,
    ActionStatus Status,
    IReadOnlyDictionary<string, string>? Before,
    IReadOnlyDictionary<string, string>? After,
    string? Message);

/// <summary>Status of one applied action. JSON: applied, unchanged, pending-restart, skipped, failed.</summary>
public enum ActionStatus
{
    Applied,
    Unchanged,
    PendingRestart,
    Skipped,
    Failed,
}

/// <summary>All action results for one instance event.</summary>
public sealed record ApplyResult(string? InstanceUuid, IReadOnlyList<ActionResult> Results)
{
    /// <summary>Why nothing was applied, when the plan was refused as a whole (it carries an error diagnostic); else null.</summary>
    public string? Refusal { get; init; }

    public bool AnyFailed => Refusal is not null || Results.Any(r => r.Status == ActionStatus.Failed);

    /// <summary>
    /// True when an action changed something, or in a dry run would (the executors report what a dry run would do as
    /// <c>skipped</c> with a message that starts with <c>dry run:</c>).
    /// </summary>
    public bool ChangesAnything(bool dryRun) => Results.Any(r => dryRun
        ? r.Status == ActionStatus.Skipped && r.Message?.StartsWith("dry run:", StringComparison.Ordinal) == true
        : r.Status == ActionStatus.Applied);

    /// <summary>The result of a plan refused as a whole: no action ran, the reason names every error.</summary>
    public static ApplyResult Refused(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new ApplyResult(plan.InstanceUuid, []) { Refusal = plan.RefusalReason };
    }
}
