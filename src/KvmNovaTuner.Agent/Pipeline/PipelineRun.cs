using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.State;

namespace KvmNovaTuner.Agent.Pipeline;

/// <summary>Where an event's extra specs came from (design.md: payload, else domain XML, else Nova API).</summary>
public enum SpecSource
{
    None,
    Event,
    DomainXml,
    NovaApi,
}

/// <summary>Everything one event went through: spec source, the plan, each action's result, the verification and the outcome.</summary>
public sealed record PipelineRun(
    InstanceEvent Event,
    SpecSource SpecSource,
    DomainState? DomainBefore,
    Plan Plan,
    IReadOnlyList<ActionResult> Results,
    IReadOnlyList<PlanAction> StillDiffering,
    DomainState? DomainAfter,
    EventOutcome Outcome);
