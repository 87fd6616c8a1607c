using KvmNovaTuner.Core.Events;

namespace KvmNovaTuner.Core.Pipeline;

/// <summary>
/// What the intake hands each decoded, filtered, de-duplicated event to. The intake acks the message only
/// after this returns (the outcome is then durably recorded by the intake's journal).
/// </summary>
public interface IInstanceEventHandler
{
    Task<EventOutcome> HandleAsync(InstanceEvent instanceEvent, CancellationToken cancellationToken = default);
}

/// <summary>The outcome of one event, as recorded in the journal and reported.</summary>
/// <param name="Status">applied, partial, pending-restart, failed, ignored, or unchanged.</param>
/// <param name="Detail">A short human summary.</param>
public sealed record EventOutcome(string Status, string Detail);
