using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Agent.Pipeline;

/// <summary>
/// Turns a plan and its results into the event's status (the values <c>tuner:status</c> carries):
/// applied, partial, pending-restart, failed, unchanged or ignored.
/// </summary>
public static class OutcomeRules
{
    public static EventOutcome Decide(Plan plan, IReadOnlyList<ActionResult> results, IReadOnlyList<PlanAction> stillDiffering)
    {
        if (plan.RefusalReason is { } refusal)
        {
            return new EventOutcome("failed", refusal);
        }
        if (results.Count == 0)
        {
            return new EventOutcome("unchanged", plan.Diagnostics.FirstOrDefault()?.Message ?? "nothing to change: the host and domain already match the flavor");
        }
        int Count(ActionStatus s) => results.Count(r => r.Status == s);
        var failed = Count(ActionStatus.Failed);
        var applied = Count(ActionStatus.Applied) + Count(ActionStatus.Unchanged);
        var pending = Count(ActionStatus.PendingRestart);
        var detail = $"{Count(ActionStatus.Applied)} applied, {Count(ActionStatus.Unchanged)} unchanged, {pending} pending restart, {Count(ActionStatus.Skipped)} skipped, {failed} failed"
            + (stillDiffering.Count > 0 ? $"; verify: {stillDiffering.Count} still differ" : "");
        if (failed + pending + applied == 0)
        {
            return new EventOutcome("failed", $"nothing could be applied: {results[0].Message}; {detail}");
        }
        var status = (failed, pending, applied) switch
        {
            ( > 0, _, 0) when pending == 0 => "failed",
            ( > 0, _, _) => "partial",
            (0, > 0, _) => "pending-restart",
            _ when stillDiffering.Count > 0 => "partial",
            _ => "applied",
        };
        return new EventOutcome(status, detail);
    }
}
