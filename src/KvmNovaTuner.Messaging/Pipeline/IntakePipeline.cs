using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Filtering;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Messaging.Store;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Messaging.Pipeline;

/// <summary>
/// decode → dedupe → filter → handler → journal, shared by every source (RabbitMQ listener, replay file).
/// The caller acks only after <see cref="ProcessAsync"/> returns (the outcome is then committed), and
/// dead-letters a <see cref="IntakeDisposition.Poison"/> result before journaling it with <see cref="RecordPoisonAsync"/>.
/// </summary>
public sealed class IntakePipeline(IntakeStore store, EventFilter filter, IInstanceEventHandler handler, TimeProvider time, ILogger logger)
{
    public EventFilter Filter { get; } = filter;

    /// <summary>The store; a consumer may group-commit through it (<see cref="IBatchCommitter"/>).</summary>
    public IntakeStore Store { get; } = store;

    public Task<IntakeResult> ProcessAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default) =>
        ProcessAsync(NotificationDecoder.Decode(body), cancellationToken);

    /// <summary>The same, for a message the caller already decoded (a consumer decodes while the previous message is stored).</summary>
    public async Task<IntakeResult> ProcessAsync(DecodeResult decoded, CancellationToken cancellationToken = default)
    {
        if (decoded.Error is { } error)
        {
            return new IntakeResult(IntakeDisposition.Poison, error.ToString());
        }
        // Mark, handle and journal in one transaction: the caller's open batch, else one of our own.
        var ownBatch = !Store.InBatch;
        if (ownBatch)
        {
            await Store.BeginBatchAsync(cancellationToken).ConfigureAwait(false);
        }
        var committed = false;
        try
        {
            var result = await ProcessDecodedAsync(decoded.Event!, cancellationToken).ConfigureAwait(false);
            if (ownBatch)
            {
                await Store.CommitBatchAsync(cancellationToken).ConfigureAwait(false);
            }
            committed = true;
            return result;
        }
        finally
        {
            if (ownBatch && !committed)
            {
                await Store.RollbackBatchAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<IntakeResult> ProcessDecodedAsync(InstanceEvent e, CancellationToken cancellationToken)
    {
        if (!await Store.TryMarkAsync(e.MessageId, cancellationToken).ConfigureAwait(false))
        {
            logger.LogDebug(IntakeLog.Duplicate, "Duplicate {EventType} {MessageId} dropped", e.EventType, e.MessageId);
            return new IntakeResult(IntakeDisposition.Duplicate, "already handled (redelivery)", e);
        }
        var decision = Filter.Evaluate(e);
        if (!decision.Accepted)
        {
            return await JournalAsync(e, IntakeDisposition.Ignored, decision.Status, decision.Reason, cancellationToken).ConfigureAwait(false);
        }
        var outcome = await HandleAsync(e, cancellationToken).ConfigureAwait(false);
        return await JournalAsync(e, IntakeDisposition.Handled, outcome.Status, $"{decision.Trigger}: {decision.Reason}; {outcome.Detail}", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Journals a message that could not be decoded (after it was dead-lettered); logged once, here.</summary>
    public async Task RecordPoisonAsync(string reason, string status, CancellationToken cancellationToken = default)
    {
        logger.LogWarning(IntakeLog.Poison, "Poison message {Status}: {Reason}", status, reason);
        await Store.RecordAsync(new JournalEntry(null, null, null, null, status, reason, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    private async Task<EventOutcome> HandleAsync(InstanceEvent e, CancellationToken cancellationToken)
    {
        try
        {
            return await handler.HandleAsync(e, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The boundary of one event: a handler failure is an outcome (journaled, reported), never a crash or a loop.
            logger.LogError(IntakeLog.HandlerFailed, ex, "Handler failed for {EventType} {MessageId}", e.EventType, e.MessageId);
            return new EventOutcome("failed", $"handler error: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async Task<IntakeResult> JournalAsync(InstanceEvent e, IntakeDisposition disposition, string status, string detail, CancellationToken cancellationToken)
    {
        await Store.JournalAsync(new JournalEntry(e.MessageId, e.EventType, e.InstanceUuid, e.Host, status, detail, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        logger.LogDebug(IntakeLog.Recorded, "{EventType} {MessageId}: {Status} ({Detail})", e.EventType, e.MessageId, status, detail);
        return new IntakeResult(disposition, detail, e);
    }
}
