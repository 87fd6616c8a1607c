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

    /// <summary>The result of a plan refused as a whole: no action ran, the reason names every error.</summary>
    public static ApplyResult Refused(Plan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new ApplyResult(plan.InstanceUuid, []) { Refusal = plan.RefusalReason };
    }
}
