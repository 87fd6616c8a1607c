using System.Text.Json;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Core.Tests.Libvirt;

public sealed class ActionDispatcherTests
{
    /// <summary>An executor that applies every action of its kinds and records what it was given.</summary>
    private sealed class Recorder(params string[] kinds) : IActionExecutor
    {
        public List<PlanAction> Seen { get; } = [];

        public bool Handles(string kind) => kinds.Contains(kind);

        public Task<IReadOnlyList<ActionResult>> ExecuteAsync(Plan plan, IReadOnlyList<PlanAction> actions, bool dryRun, CancellationToken cancellationToken = default)
        {
            Seen.AddRange(actions);
            return Task.FromResult<IReadOnlyList<ActionResult>>(actions
                .Select(a => new ActionResult(a.Kind, a.Target, dryRun ? ActionStatus.Skipped : ActionStatus.Applied, null, a.Settings, null)).ToList());
        }
    }

    private static PlanAction A(string kind, string target) => new(kind, target, new Dictionary<string, string> { ["x"] = "1" }, ActionTiming.Live, "r");

    [Test]
    public async Task Apply_SendsEachKindToItsExecutor_AndKeepsPlanOrder()
    {
        var libvirt = new Recorder(ActionKinds.VcpuPin, ActionKinds.Blkio);
        var ovs = new Recorder(ActionKinds.OvsQos);
        var plan = new Plan("u", "e", "h", [A(ActionKinds.OvsQos, "port/tap1"), A(ActionKinds.VcpuPin, "domain/u/vcpu/0"), A(ActionKinds.Blkio, "domain/u")], []);

        var result = await new ActionDispatcher([libvirt, ovs]).ApplyAsync(plan, dryRun: false);

        Assert.That(result.Results.Select(r => r.Kind), Is.EqualTo(new[] { ActionKinds.OvsQos, ActionKinds.VcpuPin, ActionKinds.Blkio }));
        Assert.That(libvirt.Seen.Select(a => a.Kind), Is.EqualTo(new[] { ActionKinds.VcpuPin, ActionKinds.Blkio }));
        Assert.That(ovs.Seen, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Apply_KindWithoutExecutor_IsSkippedWithTheReason()
    {
        var plan = new Plan("u", "e", "h", [A(ActionKinds.HugepagePool, "node/0/hugepages-2048kB")], []);

        var result = await new ActionDispatcher([new Recorder(ActionKinds.VcpuPin)]).ApplyAsync(plan, dryRun: false);

        Assert.That(result.Results.Single().Status, Is.EqualTo(ActionStatus.Skipped));
        Assert.That(result.Results.Single().Message, Does.Contain(ActionKinds.HugepagePool));
        Assert.That(result.AnyFailed, Is.False);
    }

    [Test]
    public async Task Apply_PlanWithAnErrorDiagnostic_IsRefusedWhole_NoExecutorSeesAnyAction()
    {
        var libvirt = new Recorder(ActionKinds.Blkio, ActionKinds.IoThreadAdd);
        var plan = new Plan("u", "e", "h", [A(ActionKinds.Blkio, "domain/u")],
            [new Diagnostic(DiagnosticSeverity.Error, "tuner:iothreads", "'abc' is not a whole number")]);

        var result = await new ActionDispatcher([libvirt]).ApplyAsync(plan, dryRun: false);

        Assert.That(libvirt.Seen, Is.Empty, "the valid half (the blkio weight) must not be applied");
        Assert.That(result.Results, Is.Empty);
        Assert.That(result.Refusal, Does.StartWith("refused: tuner:iothreads: 'abc'"));
        Assert.That(result.AnyFailed, Is.True);
        using var doc = JsonDocument.Parse(ApplyResultJson.Serialize(result));
        Assert.That(doc.RootElement.GetProperty("refused").GetString(), Is.EqualTo(result.Refusal));
    }

    [Test]
    public void ApplyResultJson_HasTheContractKeysAndStatusWords()
    {
        var result = new ApplyResult("u", [
            new ActionResult(ActionKinds.DiskDriver, "domain/u/disk/vda", ActionStatus.PendingRestart,
                new Dictionary<string, string> { ["cache"] = "" }, new Dictionary<string, string> { ["cache"] = "none" }, "next boot"),
            new ActionResult(ActionKinds.Blkio, "domain/u", ActionStatus.Failed, null, null, "libvirt said no"),
        ]);

        using var doc = JsonDocument.Parse(ApplyResultJson.Serialize(result));

        Assert.That(doc.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "instance_uuid", "results" }));
        var first = doc.RootElement.GetProperty("results")[0];
        Assert.That(first.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "kind", "target", "status", "before", "after", "message" }));
        Assert.That(first.GetProperty("status").GetString(), Is.EqualTo("pending-restart"));
        Assert.That(first.GetProperty("after").GetProperty("cache").GetString(), Is.EqualTo("none"));
        Assert.That(doc.RootElement.GetProperty("results")[1].GetProperty("before").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }
}
