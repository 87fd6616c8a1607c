using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Progress;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;
using KvmNovaTuner.Libvirt.Xml;

namespace KvmNovaTuner.Libvirt.Reconciliation;

/// <summary>
/// Brings every domain on the host in line with its flavor: list the domains, resolve each one's extra specs
/// (the domain's Nova metadata, else the pluggable <see cref="ISpecResolver"/>), plan against the observed
/// state and apply only the difference. Run at start, on a period, and after events that regenerate the XML.
/// </summary>
public sealed class Reconciler(
    LibvirtConnection connection,
    ActionDispatcher dispatcher,
    string thisHost,
    ISpecResolver? resolver = null,
    PlannerOptions? options = null)
{
    /// <summary>The event type plans made here carry.</summary>
    public const string EventType = "tuner.reconcile";

    /// <summary>Reconciles every domain, reporting <paramref name="progress"/> after each one (changed: an action applied; failed: an action failed).</summary>
    public async Task<ReconcileReport> ReconcileAsync(HostTopology topology, bool dryRun, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        connection.EnsureConnected();
        var observed = ObserveAll();
        var outcomes = new List<DomainOutcome>(observed.Count);
        int changed = 0, failed = 0;
        foreach (var (state, error) in observed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var outcome = state is null
                ? new DomainOutcome(error!.Value.Uuid, null, null, new ApplyResult(error.Value.Uuid, []), error.Value.Message)
                : await ReconcileOneAsync(state, topology, dryRun, cancellationToken).ConfigureAwait(false);
            outcomes.Add(outcome);
            if (outcome.Result.AnyFailed) failed++;
            else if (outcome.Result.ChangesAnything(dryRun)) changed++;
            progress?.Report(new WorkProgress(outcomes.Count, observed.Count, changed, failed));
        }
        return new ReconcileReport(thisHost, outcomes);
    }

    private List<(DomainState? State, (string Uuid, string Message)? Error)> ObserveAll()
    {
        var domains = connection.ListAllDomains();
        try
        {
            return domains.Select(Observe).ToList();
        }
        finally
        {
            foreach (var domain in domains)
            {
                domain.Dispose();
            }
        }
    }

    private static (DomainState?, (string, string)?) Observe(LibvirtDomain domain)
    {
        try
        {
            return (DomainReader.Read(domain), null);
        }
        catch (Exception e) when (e is LibvirtException or FormatException)
        {
            // A domain undefined between listing and reading, or XML we cannot read: report it, go on.
            return (null, (domain.Uuid, e.Message));
        }
    }

    private async Task<DomainOutcome> ReconcileOneAsync(DomainState state, HostTopology topology, bool dryRun, CancellationToken cancellationToken)
    {
        var nova = state.Nova;
        var specs = nova?.ExtraSpecs;
        var source = "domain metadata";
        int? vcpus = nova?.Vcpus, memoryMb = nova?.MemoryMb;
        if (specs is null && resolver is not null && await resolver.ResolveAsync(state.Uuid, cancellationToken).ConfigureAwait(false) is { } flavor)
        {
            (specs, vcpus, memoryMb, source) = (flavor.ExtraSpecs, flavor.Vcpus ?? vcpus, flavor.MemoryMb ?? memoryMb, "resolver");
        }
        if (specs is null)
        {
            return new DomainOutcome(state.Uuid, state.Name, null, new ApplyResult(state.Uuid, []),
                nova is null ? "not a Nova instance (no nova:instance metadata): left alone" : "no extra specs in the domain metadata and no resolver found the flavor: left alone");
        }
        var parsed = SpecParser.Parse(specs, vcpus ?? state.Vcpus, memoryMb);
        var request = new PlanRequest
        {
            InstanceUuid = state.Uuid,
            EventType = EventType,
            EventHost = thisHost,
            ThisHost = thisHost,
            Spec = parsed.Spec,
            SpecDiagnostics = parsed.Diagnostics,
            PortNames = state.Interfaces.Select(i => i.TargetDev).OfType<string>().ToList(),
        };
        var plan = TuningPlanner.Create(request, topology, new ObservedState(state, []), options);
        var applied = await dispatcher.ApplyAsync(plan, dryRun, cancellationToken).ConfigureAwait(false);
        return new DomainOutcome(state.Uuid, state.Name, plan, applied, $"specs from {source}");
    }
}

/// <summary>What one reconcile pass found and did, per domain.</summary>
public sealed record ReconcileReport(string Host, IReadOnlyList<DomainOutcome> Domains)
{
    public bool AnyFailed => Domains.Any(d => d.Result.AnyFailed || d.Plan?.HasErrors == true);
}

/// <summary>One domain's plan (null when it was left alone), its results, and a note on where its specs came from.</summary>
public sealed record DomainOutcome(string Uuid, string? Name, Plan? Plan, ApplyResult Result, string Note);
