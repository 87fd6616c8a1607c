using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Agent.Pipeline;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>The per-event pipeline over fake observers and executors: spec resolution order, dispatch, refusal, metrics.</summary>
public sealed class InstanceEventPipelineTests
{
    private const string Host = "cmp-1";
    private const string Uuid = "11111111-2222-3333-4444-555555555555";

    /// <summary>Answers with <paramref name="before"/> first and <paramref name="after"/> (when given) on later reads.</summary>
    private sealed class FakeDomains(DomainState? before, DomainState? after = null) : IDomainObserver
    {
        private int _reads;

        public Task<DomainState?> ReadAsync(string instanceUuid, CancellationToken cancellationToken = default) =>
            Task.FromResult(_reads++ == 0 ? before : after ?? before);
    }

    private sealed class FakeFlavors(FlavorInfo? flavor) : IFlavorLookup
    {
        public int Calls { get; private set; }

        public Task<FlavorInfo?> FindAsync(string instanceUuid, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult(flavor);
        }
    }

    /// <summary>Records the actions it gets and answers with a fixed status.</summary>
    private sealed class RecordingExecutor(Func<string, bool> handles, ActionStatus status) : IActionExecutor
    {
        public List<PlanAction> Received { get; } = [];
        public bool Handles(string kind) => handles(kind);

        public Task<IReadOnlyList<ActionResult>> ExecuteAsync(Plan plan, IReadOnlyList<PlanAction> actions, bool dryRun, CancellationToken cancellationToken = default)
        {
            Received.AddRange(actions);
            return Task.FromResult<IReadOnlyList<ActionResult>>([.. actions.Select(a => new ActionResult(a.Kind, a.Target, status, null, a.Settings, null))]);
        }
    }

    private static DomainState Domain(IReadOnlyDictionary<string, string>? novaSpecs = null) => new()
    {
        Uuid = Uuid,
        Name = "instance-1",
        Active = true,
        Vcpus = 2,
        MemoryKb = 2 * 1024 * 1024,
        IoThreadIds = [1],
        Nova = novaSpecs is null ? null : new NovaDomainMetadata("f", "f-1", 2, 2048, novaSpecs),
    };

    private static InstanceEvent Event(IReadOnlyDictionary<string, string>? specs) => new()
    {
        Format = NotificationFormat.Versioned,
        EventType = "instance.create.end",
        MessageId = "m-1",
        Host = Host,
        InstanceUuid = Uuid,
        Flavor = new FlavorInfo("f", "f-1", 2, 2048, specs),
    };

    private static (InstanceEventPipeline Pipeline, AgentMetrics Metrics) Create(DomainState? domain, IFlavorLookup flavors, params IActionExecutor[] executors) =>
        Create(new FakeDomains(domain), flavors, executors);

    private static (InstanceEventPipeline Pipeline, AgentMetrics Metrics) Create(IDomainObserver domains, IFlavorLookup flavors, params IActionExecutor[] executors)
    {
        var metrics = new AgentMetrics();
        var topology = new StaticTopology();
        var pipeline = new InstanceEventPipeline(Host, domains, NothingObserved.Instance, topology, executors,
            flavors, NothingObserved.Instance, metrics, new InFlightTracker(), NullLogger<InstanceEventPipeline>.Instance);
        return (pipeline, metrics);
    }

    private sealed class StaticTopology : ITopologySource
    {
        public Task<HostTopology> ReadAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(new HostTopology([new NumaCell(0, [0, 1, 2, 3], new Dictionary<int, IReadOnlyList<int>>(), 8 * 1024 * 1024, [])], new HashSet<int> { 0 }));
    }

    private static readonly Dictionary<string, string> Blkio = new() { ["tuner:blkio_weight"] = "700" };

    [Test]
    public async Task Run_SpecsInEvent_AreUsedAndEachActionGoesToTheExecutorForItsKind()
    {
        var libvirt = new RecordingExecutor(k => k == ActionKinds.Blkio, ActionStatus.Applied);
        var other = new RecordingExecutor(k => k == ActionKinds.OvsQos, ActionStatus.Applied);
        var (pipeline, metrics) = Create(new FakeDomains(Domain(), Domain() with { BlkioWeight = "700" }), NothingObserved.Instance, libvirt, other);

        var run = await pipeline.RunAsync(Event(Blkio));

        Assert.Multiple(() =>
        {
            Assert.That(run.SpecSource, Is.EqualTo(SpecSource.Event));
            Assert.That(libvirt.Received.Select(a => a.Kind), Is.EqualTo(new[] { ActionKinds.Blkio }));
            Assert.That(libvirt.Received.Single().Settings["weight"], Is.EqualTo("700"));
            Assert.That(other.Received, Is.Empty);
            Assert.That(run.Outcome.Status, Is.EqualTo("applied"));
            Assert.That(metrics.Events.WithLabels("instance.create.end", "applied").Value, Is.EqualTo(1));
            Assert.That(metrics.Actions.WithLabels(ActionKinds.Blkio, "applied").Value, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Run_InstanceWentToError_NothingTunedOutcomeIgnoredNotFailed_SpecsStillResolved()
    {
        var executor = new RecordingExecutor(_ => true, ActionStatus.Failed);
        var (pipeline, metrics) = Create(Domain(novaSpecs: Blkio), NothingObserved.Instance, executor);

        var run = await pipeline.RunAsync(Event(specs: null) with { EventType = "instance.update", OldState = "active", State = "error" });

        Assert.Multiple(() =>
        {
            Assert.That(executor.Received, Is.Empty);
            Assert.That(run.Outcome, Is.EqualTo(new EventOutcome("ignored", Core.Recovery.InstanceErrorState.NotTuned)));
            Assert.That(run.SpecSource, Is.EqualTo(SpecSource.DomainXml), "auto-recovery reads tuner:auto_recover from the resolved specs");
            Assert.That(metrics.Events.WithLabels("instance.update", "ignored").Value, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Run_NoSpecsInEvent_FallsBackToDomainXmlBeforeNovaApi()
    {
        var flavors = new FakeFlavors(new FlavorInfo("f", "f-1", 2, 2048, Blkio));
        var executor = new RecordingExecutor(_ => true, ActionStatus.Applied);
        var (pipeline, _) = Create(Domain(novaSpecs: Blkio), flavors, executor);

        var run = await pipeline.RunAsync(Event(specs: null));

        Assert.That(run.SpecSource, Is.EqualTo(SpecSource.DomainXml));
        Assert.That(flavors.Calls, Is.Zero, "the Nova API is the last resort");
        Assert.That(executor.Received.Select(a => a.Kind), Does.Contain(ActionKinds.Blkio));
    }

    [Test]
    public async Task Run_NoSpecsInEventOrXml_AsksTheNovaApi()
    {
        var flavors = new FakeFlavors(new FlavorInfo("f", "f-1", 2, 2048, Blkio));
        var executor = new RecordingExecutor(_ => true, ActionStatus.Applied);
        var (pipeline, _) = Create(Domain(), flavors, executor);

        var run = await pipeline.RunAsync(Event(specs: null));

        Assert.That(run.SpecSource, Is.EqualTo(SpecSource.NovaApi));
        Assert.That(executor.Received.Select(a => a.Kind), Does.Contain(ActionKinds.Blkio));
    }

    [Test]
    public async Task Run_InvalidFlavor_IsRefusedAndNothingIsApplied()
    {
        var executor = new RecordingExecutor(_ => true, ActionStatus.Applied);
        var (pipeline, _) = Create(Domain(), NothingObserved.Instance, executor);
        var specs = new Dictionary<string, string> { ["tuner:disk_io"] = "native", ["tuner:disk_cache"] = "writeback", ["tuner:blkio_weight"] = "700" };

        var run = await pipeline.RunAsync(Event(specs));

        Assert.Multiple(() =>
        {
            Assert.That(executor.Received, Is.Empty);
            Assert.That(run.Outcome.Status, Is.EqualTo("failed"));
            Assert.That(run.Outcome.Detail, Does.StartWith("refused:").And.Contain("tuner:disk_io"));
        });
    }

    [Test]
    public async Task Run_KindNobodyHandles_IsSkippedWithTheReason()
    {
        var (pipeline, _) = Create(Domain(), NothingObserved.Instance);

        var run = await pipeline.RunAsync(Event(Blkio));

        var result = run.Results.Single();
        Assert.That(result.Status, Is.EqualTo(ActionStatus.Skipped));
        Assert.That(result.Message, Does.Contain("no executor for 'blkio'"));
    }

    [Test]
    public async Task Run_AppliedButStillDifferentOnReadBack_IsPartial()
    {
        // The fake domain never changes, so the verification plan still wants the weight: drift is reported.
        var executor = new RecordingExecutor(_ => true, ActionStatus.Applied);
        var (pipeline, _) = Create(Domain(), NothingObserved.Instance, executor);

        var run = await pipeline.RunAsync(Event(Blkio));

        Assert.That(run.StillDiffering.Select(a => a.Kind), Does.Contain(ActionKinds.Blkio));
        Assert.That(run.Outcome.Status, Is.EqualTo("partial"));
        Assert.That(run.Outcome.Detail, Does.Contain("still differ"));
    }
}
