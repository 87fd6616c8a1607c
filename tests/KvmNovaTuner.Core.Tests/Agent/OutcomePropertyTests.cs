using FsCheck;
using FsCheck.Fluent;
using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Agent.Pipeline;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Tests.Planning;
using KvmNovaTuner.Core.Topology;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>
/// Properties of the outcome over random flavors, topologies and domain states, through the agent pipeline over a
/// simulated host whose executor behaves like the libvirt one: live kinds change the running domain, next-boot kinds
/// (disk driver, memory backing) only the persistent definition, and are reported pending-restart until a cold start.
/// </summary>
public sealed class OutcomePropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    /// <summary>The running domain, its ports and the host, changed only by what the executor applies.</summary>
    private sealed class SimulatedHost(PlanningCase c) : IDomainObserver, IPortObserver, ITopologySource, IActionExecutor
    {
        public ObservedState Live { get; private set; } = c.Observed;
        public HostTopology Topology { get; private set; } = c.Topology;
        public List<PlanAction> Received { get; } = [];

        public Task<DomainState?> ReadAsync(string instanceUuid, CancellationToken cancellationToken = default) => Task.FromResult(Live.Domain);

        public Task<IReadOnlyList<OvsPortState>> ReadAsync(string instanceUuid, IReadOnlyList<string> tapNames, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<OvsPortState>>([.. Live.Ports]);

        Task<HostTopology> ITopologySource.ReadAsync(CancellationToken cancellationToken) => Task.FromResult(Topology);

        public bool Handles(string kind) => true;

        public Task<IReadOnlyList<ActionResult>> ExecuteAsync(Plan plan, IReadOnlyList<PlanAction> actions, bool dryRun, CancellationToken cancellationToken = default)
        {
            Received.AddRange(actions);
            var results = new List<ActionResult>();
            foreach (var action in actions)
            {
                if (action.Kind is ActionKinds.DiskDriver or ActionKinds.MemoryBacking)
                {
                    // Written to the persistent definition; the running domain does not change.
                    results.Add(new ActionResult(action.Kind, action.Target, ActionStatus.PendingRestart, null, action.Settings, "next boot"));
                    continue;
                }
                (Live, Topology) = PlanSimulator.Apply(plan with { Actions = [action] }, Live, Topology);
                results.Add(new ActionResult(action.Kind, action.Target, ActionStatus.Applied, null, action.Settings, null));
            }
            return Task.FromResult<IReadOnlyList<ActionResult>>(results);
        }
    }

    private static (SimulatedHost Host, EventOutcome Outcome) Run(PlanningCase c)
    {
        var host = new SimulatedHost(c);
        var pipeline = new InstanceEventPipeline(PlanningFixtures.Host, host, host, host, [host], NothingObserved.Instance, NothingObserved.Instance,
            new AgentMetrics(), new InFlightTracker(), NullLogger<InstanceEventPipeline>.Instance);
        var e = new InstanceEvent
        {
            Format = NotificationFormat.Versioned,
            EventType = c.Request.EventType!,
            MessageId = Guid.NewGuid().ToString(),
            Host = PlanningFixtures.Host,
            InstanceUuid = PlanningFixtures.Uuid,
            Flavor = new FlavorInfo("f", "f-1", c.Request.Spec.Vcpus, c.Request.Spec.MemoryMb, c.Specs),
            Ports = [.. c.Request.PortNames.Select(n => new PortInfo(n, null, null))],
        };
        return (host, pipeline.HandleAsync(e).GetAwaiter().GetResult());
    }

    /// <summary>Random cases with the keys that make the flavor invalid dropped (most random flavors are invalid).</summary>
    private static Arbitrary<PlanningCase> ValidCases() => PlanningGenerators.Cases().Generator.Select(Valid).ToArbitrary();

    private static PlanningCase Valid(PlanningCase c)
    {
        var specs = c.Specs.ToDictionary(p => p.Key, p => p.Value);
        while (true)
        {
            var parsed = KvmNovaTuner.Core.Specs.SpecParser.Parse(specs, c.Request.Spec.Vcpus, c.Request.Spec.MemoryMb);
            var invalid = parsed.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Key).ToHashSet();
            if (invalid.Count == 0 || !invalid.Any(specs.ContainsKey))
            {
                return c with { Specs = specs, Request = c.Request with { Spec = parsed.Spec, SpecDiagnostics = parsed.Diagnostics } };
            }
            foreach (var key in invalid)
            {
                specs.Remove(key);
            }
        }
    }

    [Test]
    public void Outcome_IsAppliedOnlyWhenReReadingTheRunningDomainFindsEverySettingTheFlavorAsks()
    {
        var (applied, pending) = (0, 0);
        Check.One(Config, Prop.ForAll(ValidCases(), c =>
        {
            var (host, outcome) = Run(c);
            pending += outcome.Status == "pending-restart" ? 1 : 0;
            if (outcome.Status != "applied")
            {
                return true;
            }
            applied++;
            var again = TuningPlanner.Create(c.Request, host.Topology, host.Live);
            return again.Actions.Count == 0;
        }));
        Assert.That((applied, pending), Is.Not.EqualTo((0, 0)).And.Matches<(int A, int P)>(x => x.A > 0 && x.P > 0),
            "the random cases must reach both applied and pending-restart, else the property says nothing");
    }

    [Test]
    public void Outcome_WithAnyNextBootSettingNotYetRunning_IsNeverApplied() =>
        Check.One(Config, Prop.ForAll(ValidCases(), c =>
        {
            var (host, outcome) = Run(c);
            return !host.Received.Any(a => a.Kind is ActionKinds.DiskDriver or ActionKinds.MemoryBacking) || outcome.Status != "applied";
        }));

    [Test]
    public void InvalidFlavor_ChangesNothing_ThroughThePipelineOrTheDispatcher()
    {
        var invalid = 0;
        Check.One(Config, Prop.ForAll(PlanningGenerators.Cases(), c =>
        {
            var plan = TuningPlanner.Create(c.Request, c.Topology, c.Observed);
            if (!plan.HasErrors)
            {
                return true;
            }
            invalid++;
            var (host, outcome) = Run(c);
            var direct = new SimulatedHost(c);
            var applied = new ActionDispatcher([direct]).ApplyAsync(plan, dryRun: false).GetAwaiter().GetResult();
            return host.Received.Count == 0 && ReferenceEquals(host.Live, c.Observed) && outcome.Status == "failed"
                && direct.Received.Count == 0 && applied.Refusal is not null;
        }));
        Assert.That(invalid, Is.GreaterThan(0), "the random flavors must include invalid ones");
    }
}
