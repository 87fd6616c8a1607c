using System.Diagnostics;
using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Agent.Logging;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Recovery;
using KvmNovaTuner.Core.State;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Pipeline;

/// <summary>
/// The per-event pipeline after intake: resolve specs (event payload, else domain XML, else Nova API), observe,
/// plan, dispatch each action to the executor for its kind, verify by observing and planning again, report, and
/// record metrics. Used by the agent, <c>replay</c> and <c>demo</c>.
/// </summary>
public sealed class InstanceEventPipeline(
    string thisHost,
    IDomainObserver domains,
    IPortObserver ports,
    ITopologySource topology,
    IReadOnlyList<IActionExecutor> executors,
    IFlavorLookup flavors,
    IOutcomeReporter reporter,
    AgentMetrics metrics,
    InFlightTracker inFlight,
    ILogger<InstanceEventPipeline> logger,
    PlannerOptions? plannerOptions = null) : IInstanceEventHandler
{
    public async Task<EventOutcome> HandleAsync(InstanceEvent instanceEvent, CancellationToken cancellationToken = default) =>
        (await RunAsync(instanceEvent, cancellationToken).ConfigureAwait(false)).Outcome;

    /// <summary>Handles one event and returns everything it went through.</summary>
    public async Task<PipelineRun> RunAsync(InstanceEvent instanceEvent, CancellationToken cancellationToken = default)
    {
        using var _ = inFlight.Begin();
        metrics.InFlight.Inc();
        // One event per instance at a time: the intake, the hook and the reconcile scan may race on one domain.
        var gate = _instanceGates.GetOrAdd(instanceEvent.InstanceUuid ?? "", _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var run = await RunCoreAsync(instanceEvent, cancellationToken).ConfigureAwait(false);
            metrics.Events.WithLabels(instanceEvent.EventType, run.Outcome.Status).Inc();
            logger.LogInformation(LogEvents.EventHandled, "{EventType} for {InstanceUuid}: {Status} ({Detail}); specs from {SpecSource}",
                instanceEvent.EventType, instanceEvent.InstanceUuid, run.Outcome.Status, run.Outcome.Detail, run.SpecSource);
            await reporter.ReportAsync(run, cancellationToken).ConfigureAwait(false);
            return run;
        }
        finally
        {
            gate.Release();
            metrics.InFlight.Dec();
        }
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _instanceGates = new(StringComparer.OrdinalIgnoreCase);

    private readonly ActionDispatcher _dispatcher = new([.. executors.Select(x => new TimedExecutor(x, metrics))]);

    private async Task<PipelineRun> RunCoreAsync(InstanceEvent e, CancellationToken cancellationToken)
    {
        var planClock = Stopwatch.StartNew();
        var uuid = e.InstanceUuid ?? "";
        var domain = uuid.Length > 0 ? await domains.ReadAsync(uuid, cancellationToken).ConfigureAwait(false) : null;
        var (resolved, source) = await ResolveSpecsAsync(e, domain, cancellationToken).ConfigureAwait(false);
        if (InstanceErrorState.IsErrorUpdate(e))
        {
            // Not a tuning failure and nothing to tune; the specs are still resolved for the auto-recovery decision.
            var none = Plan.Empty(e.InstanceUuid, e.EventType, thisHost, new Diagnostic(DiagnosticSeverity.Info, "event", InstanceErrorState.NotTuned));
            return new PipelineRun(resolved, source, domain, none, [], [], null, new EventOutcome("ignored", InstanceErrorState.NotTuned));
        }
        var (plan, _) = await PlanAsync(resolved, domain, cancellationToken).ConfigureAwait(false);
        metrics.PlanSeconds.Observe(planClock.Elapsed.TotalSeconds);

        // The one dispatch of every entry point: a plan with an error diagnostic is refused whole there.
        var applied = await _dispatcher.ApplyAsync(plan, dryRun: false, cancellationToken).ConfigureAwait(false);
        var results = applied.Results;
        foreach (var r in results)
        {
            metrics.Actions.WithLabels(r.Kind, r.Status.ToString().ToLowerInvariant()).Inc();
            if (r.Status == ActionStatus.Failed)
            {
                logger.LogWarning(LogEvents.ActionFailed, "{Kind} on {Target} failed: {Message}", r.Kind, r.Target, r.Message);
            }
        }

        var (stillDiffering, domainAfter) = await VerifyAsync(resolved, plan, results, cancellationToken).ConfigureAwait(false);
        return new PipelineRun(resolved, source, domain, plan, results, stillDiffering, domainAfter, OutcomeRules.Decide(plan, results, stillDiffering));
    }

    private async Task<(InstanceEvent Event, SpecSource Source)> ResolveSpecsAsync(InstanceEvent e, DomainState? domain, CancellationToken cancellationToken)
    {
        var flavor = e.EventType.StartsWith("instance.resize_prep.", StringComparison.Ordinal) ? e.NewFlavor ?? e.Flavor : e.Flavor;
        if (flavor?.ExtraSpecs is not null) return (e, SpecSource.Event);
        if (domain?.Nova?.ExtraSpecs is not null) return (e, SpecSource.DomainXml);
        if (e.InstanceUuid is { Length: > 0 } uuid && await flavors.FindAsync(uuid, cancellationToken).ConfigureAwait(false) is { ExtraSpecs: not null } fromApi)
        {
            return (e with { Flavor = fromApi }, SpecSource.NovaApi);
        }
        logger.LogWarning(LogEvents.SpecsUnresolved, "No extra specs for {InstanceUuid} in the event, the domain XML or the Nova API", e.InstanceUuid);
        return (e, SpecSource.None);
    }

    private async Task<(Plan Plan, ObservedState Observed)> PlanAsync(InstanceEvent e, DomainState? domain, CancellationToken cancellationToken)
    {
        var request = PlanRequest.FromEvent(e, thisHost, domain);
        if (request.PortNames.Count == 0 && domain is not null)
        {
            request = request with { PortNames = [.. domain.Interfaces.Select(i => i.TargetDev).OfType<string>().Distinct()] };
        }
        var observedPorts = e.InstanceUuid is { Length: > 0 } uuid
            ? await ports.ReadAsync(uuid, request.PortNames, cancellationToken).ConfigureAwait(false)
            : [];
        var observed = new ObservedState(domain, observedPorts);
        var hostTopology = await topology.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (TuningPlanner.Create(request, hostTopology, observed, plannerOptions), observed);
    }

    /// <summary>Observes again and re-plans: live and host actions that were applied must no longer appear.</summary>
    private async Task<(IReadOnlyList<PlanAction> StillDiffering, DomainState? After)> VerifyAsync(
        InstanceEvent e, Plan plan, IReadOnlyList<ActionResult> results, CancellationToken cancellationToken)
    {
        if (e.InstanceUuid is not { Length: > 0 } uuid || !results.Any(r => r.Status == ActionStatus.Applied))
        {
            return ([], null);
        }
        var after = await domains.ReadAsync(uuid, cancellationToken).ConfigureAwait(false);
        var (again, _) = await PlanAsync(e, after, cancellationToken).ConfigureAwait(false);
        var applied = results.Where(r => r.Status == ActionStatus.Applied).Select(r => (r.Kind, r.Target)).ToHashSet();
        var differing = again.Actions.Where(a => a.When == ActionTiming.Live && applied.Contains((a.Kind, a.Target))).ToList();
        return (differing, after);
    }
}
