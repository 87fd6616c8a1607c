using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;

namespace KvmNovaTuner.Messaging.Pipeline;

/// <summary>
/// The handler used until a planner and executors are wired in: it acts on nothing and reports that the event
/// was accepted, so the journal shows the filter's decision for every event.
/// </summary>
public sealed class DecisionRecordingHandler : IInstanceEventHandler
{
    public Task<EventOutcome> HandleAsync(InstanceEvent instanceEvent, CancellationToken cancellationToken = default) =>
        Task.FromResult(new EventOutcome("accepted", "decision recorded (no planner wired)"));
}
