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
    public bool AnyFailed => Results.Any(r => r.Status == ActionStatus.Failed);
}
