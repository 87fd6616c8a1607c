using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.State;

namespace KvmNovaTuner.Core.Planning;

/// <summary>What one plan is for: the instance, the event, the host the event names and this host, the parsed spec and the instance's tap devices.</summary>
public sealed record PlanRequest
{
    public required string? InstanceUuid { get; init; }
    public required string? EventType { get; init; }
    /// <summary>The host the event is for (null when the event does not say).</summary>
    public required string? EventHost { get; init; }
    /// <summary>The host doing the planning.</summary>
    public required HostName ThisHost { get; init; }
    public required TuningSpec Spec { get; init; }
    /// <summary>Findings from parsing the spec; they are copied into the plan.</summary>
    public IReadOnlyList<Diagnostic> SpecDiagnostics { get; init; } = [];
    /// <summary>Tap device names the event carries.</summary>
    public IReadOnlyList<string> PortNames { get; init; } = [];

    /// <summary>
    /// Builds the request for one decoded event. Specs come from the event's flavor (the new flavor for
    /// <c>instance.resize_prep.*</c>), else from the domain's Nova metadata; their absence is a diagnostic.
    /// </summary>
    public static PlanRequest FromEvent(InstanceEvent instanceEvent, HostName thisHost, DomainState? domain = null)
    {
        var flavor = instanceEvent.EventType.StartsWith("instance.resize_prep.", StringComparison.Ordinal)
            ? instanceEvent.NewFlavor ?? instanceEvent.Flavor
            : instanceEvent.Flavor;
        var extraSpecs = flavor?.ExtraSpecs ?? domain?.Nova?.ExtraSpecs;
        var diagnostics = new List<Diagnostic>();
        if (extraSpecs is null)
        {
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, "extra_specs",
                "the event carries no extra specs (legacy notification or no flavor) and the domain's Nova metadata has none; fix: enable versioned notifications or resolve the flavor from the Nova API"));
        }
        var parsed = SpecParser.Parse(extraSpecs, flavor?.Vcpus ?? domain?.Nova?.Vcpus, flavor?.MemoryMb ?? domain?.Nova?.MemoryMb);
        diagnostics.AddRange(parsed.Diagnostics);
        return new PlanRequest
        {
            InstanceUuid = instanceEvent.InstanceUuid,
            EventType = instanceEvent.EventType,
            EventHost = instanceEvent.Host,
            ThisHost = thisHost,
            Spec = parsed.Spec,
            SpecDiagnostics = diagnostics,
            PortNames = [.. instanceEvent.Ports.Select(p => p.DeviceName).OfType<string>().Where(n => n.Length > 0).Distinct()],
        };
    }
}
