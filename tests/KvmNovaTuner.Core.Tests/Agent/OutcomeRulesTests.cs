using KvmNovaTuner.Agent.Pipeline;
using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>How results become the status reported as tuner:status.</summary>
public sealed class OutcomeRulesTests
{
    private static readonly PlanAction Action = new("blkio", "domain/u", new Dictionary<string, string>(), ActionTiming.Live, "r");

    private static Plan PlanWith(params Diagnostic[] diagnostics) => new("u", "instance.create.end", "h", [Action], diagnostics);

    private static ActionResult Result(ActionStatus status) => new("blkio", "domain/u", status, null, null, null);

    [TestCase(new[] { ActionStatus.Applied, ActionStatus.Unchanged }, "applied")]
    [TestCase(new[] { ActionStatus.Applied, ActionStatus.PendingRestart }, "pending-restart")]
    [TestCase(new[] { ActionStatus.Applied, ActionStatus.Failed }, "partial")]
    [TestCase(new[] { ActionStatus.PendingRestart, ActionStatus.Failed }, "partial")]
    [TestCase(new[] { ActionStatus.Failed, ActionStatus.Failed }, "failed")]
    [TestCase(new[] { ActionStatus.Unchanged }, "applied")]
    public void Decide_FromResults(ActionStatus[] statuses, string expected) =>
        Assert.That(OutcomeRules.Decide(PlanWith(), [.. statuses.Select(Result)], []).Status, Is.EqualTo(expected));

    [Test]
    public void Decide_EverythingSkipped_IsFailedWithTheReason()
    {
        var skipped = new ActionResult("blkio", "domain/u", ActionStatus.Skipped, null, null, "no executor for 'blkio' on this host");
        var outcome = OutcomeRules.Decide(PlanWith(), [skipped], []);
        Assert.That(outcome.Status, Is.EqualTo("failed"));
        Assert.That(outcome.Detail, Does.Contain("no executor for 'blkio'"));
    }

    [Test]
    public void Decide_NoActions_IsUnchanged() =>
        Assert.That(OutcomeRules.Decide(Plan.Empty("u", "e", "h"), [], []).Status, Is.EqualTo("unchanged"));

    [Test]
    public void Decide_ErrorsAndNothingRun_IsFailedNamingTheKey()
    {
        var outcome = OutcomeRules.Decide(PlanWith(new Diagnostic(DiagnosticSeverity.Error, "hw:numa_nodes", "bad")), [], []);
        Assert.That(outcome.Status, Is.EqualTo("failed"));
        Assert.That(outcome.Detail, Does.Contain("hw:numa_nodes: bad"));
    }
}
