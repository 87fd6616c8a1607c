using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Planning;

/// <summary>
/// The planner: a pure function of (spec, host topology, observed state, options) to a <see cref="Plan"/>. Nova's own
/// effects are verified, the tuner's own settings applied, and every action is left out when the observed state
/// already holds it.
/// </summary>
public static class TuningPlanner
{
    public static Plan Create(PlanRequest request, HostTopology topology, ObservedState observed, PlannerOptions? options = null)
    {
        options ??= PlannerOptions.Default;
        var builder = new PlanBuilder();
        builder.AddDiagnostics(request.SpecDiagnostics);
        var plan = () => new Plan(request.InstanceUuid, request.EventType, request.ThisHost.Value, builder.Actions, builder.Diagnostics);

        if (request.EventHost is { } host && !request.ThisHost.Is(host))
        {
            builder.Diagnose(DiagnosticSeverity.Info, "event", $"the event is for host '{host}', not this host '{request.ThisHost}': nothing to do here");
            return plan();
        }
        if (string.IsNullOrEmpty(request.InstanceUuid))
        {
            builder.Diagnose(DiagnosticSeverity.Error, "event", "the event names no instance uuid: nothing can be targeted");
            return plan();
        }
        var eventType = request.EventType ?? string.Empty;
        if (options.LeavingEventPrefixes.Any(p => eventType.StartsWith(p, StringComparison.Ordinal)))
        {
            builder.Diagnose(DiagnosticSeverity.Info, "event", $"{eventType}: the instance is leaving this host; nothing is tuned");
            ReleaseOwnedRows(request, observed, builder);
            return plan();
        }
        if (request.EventHost is null)
        {
            builder.Diagnose(DiagnosticSeverity.Warning, "event", $"the event names no host; planned as for this host '{request.ThisHost}'");
        }

        var context = new PlanContext(request, topology, observed, options, builder);
        if (options.PreBootEvents.Contains(eventType))
        {
            HugepagePlanner.Plan(context);
            builder.Diagnose(DiagnosticSeverity.Info, "event", $"{eventType} precedes the boot: host resources are prepared now, the domain is tuned once it runs");
            return plan();
        }
        CpuPlanner.Plan(context);
        MemoryPlanner.Plan(context);
        DiskPlanner.Plan(context);
        NetworkPlanner.Plan(context);
        return plan();
    }

    /// <summary>Once the instance has left (<c>.end</c>), the OVS rows the tuner wrote for it are removed, unless none are observed.</summary>
    private static void ReleaseOwnedRows(PlanRequest request, ObservedState observed, PlanBuilder builder)
    {
        var owned = observed.Ports.Count == 0 || observed.Ports.Any(p => p.Owner == OwnerName);
        if (request.EventType?.EndsWith(".end", StringComparison.Ordinal) == true && owned && !request.EventType.StartsWith("instance.shutdown.", StringComparison.Ordinal))
        {
            builder.AddAlways(ActionKinds.OvsRelease, $"instance/{request.InstanceUuid}", ActionTiming.Live,
                $"{request.EventType}: remove the OVS QoS and policing the tuner wrote for this instance");
        }
    }

    /// <summary>The owner name the tuner writes into OVS <c>external_ids</c>.</summary>
    public const string OwnerName = "kvm-nova-tuner";
}
