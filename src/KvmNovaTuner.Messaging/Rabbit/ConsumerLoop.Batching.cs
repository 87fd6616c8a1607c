using System.Threading.Channels;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Store;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>
/// Group commit: the dispatcher prepares (decodes) each delivery and queues it; one writer processes them in
/// delivery order inside an open store batch, and commits — then acks everything with one multiple-ack — when
/// the batch holds <see cref="MaxBatch"/> deliveries or the queue runs empty. Decoding the next message thus
/// overlaps storing the previous one.
/// </summary>
public sealed partial class ConsumerLoop
{
    private readonly IBatchCommitter? _batch;
    private readonly Func<Delivery, object?>? _prepare;
    private readonly Channel<(Delivery Delivery, ulong Tag)> _work;
    private readonly Task _writer;
    private bool _batchOpen;
    private int _pendingCount;
    private ulong _lastPendingTag;

    private async Task EnqueueAsync(Delivery delivery, ulong tag)
    {
        if (!_work.Writer.TryWrite((delivery, tag)))
        {
            try
            {
                await _work.Writer.WriteAsync((delivery, tag)).ConfigureAwait(false);
            }
            catch (ChannelClosedException)
            {
                // stopping: not acked, so the broker requeues it when the channel closes
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        var reader = _work.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            (Delivery Delivery, ulong Tag)? current = null;
            try
            {
                while (reader.TryRead(out var item))
                {
                    current = item;
                    if (!_batchOpen)
                    {
                        await _batch!.BeginBatchAsync().ConfigureAwait(false);
                        _batchOpen = true;
                    }
                    DeliveryAction action;
                    try
                    {
                        action = await _process(item.Delivery, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // What this message left in the batch is unknown: roll the batch back, requeue what it held, then this one.
                        await AbortBatchAsync().ConfigureAwait(false);
                        current = null;
                        await SettleAsync(item.Tag, await FailedAsync(item.Delivery, e).ConfigureAwait(false), multiple: false).ConfigureAwait(false);
                        continue;
                    }
                    current = null;
                    await AddToBatchAsync(item.Tag, action).ConfigureAwait(false);
                }
                await FlushAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The writer must outlive any failure, and never ack what it did not commit.
                _logger.LogError(IntakeLog.ProcessingFailed, e, "The intake writer failed; its batch is rolled back and requeued");
                await AbortBatchAsync().ConfigureAwait(false);
                if (current is { } item)
                {
                    await SettleAsync(item.Tag, DeliveryAction.Requeue, multiple: false).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Rolls the open batch back and requeues every delivery it covered (none of them is durable).</summary>
    private async Task AbortBatchAsync()
    {
        var (count, lastTag) = (_pendingCount, _lastPendingTag);
        (_batchOpen, _pendingCount) = (false, 0);
        try
        {
            await _batch!.RollbackBatchAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(IntakeLog.ProcessingFailed, "Rolling back the intake batch failed: {Reason}", e.Message);
        }
        if (count > 0)
        {
            await SettleAsync(lastTag, DeliveryAction.Requeue, multiple: true).ConfigureAwait(false);
        }
    }

    /// <summary>Lets the writer finish what is queued (commit and ack), then ends it.</summary>
    private async Task DrainWriterAsync()
    {
        _work.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    private async Task AddToBatchAsync(ulong deliveryTag, DeliveryAction action)
    {
        if (action == DeliveryAction.Ack)
        {
            _pendingCount++;
            _lastPendingTag = deliveryTag;
            if (_pendingCount >= MaxBatch)
            {
                await FlushAsync().ConfigureAwait(false);
            }
            return;
        }
        await FlushAsync().ConfigureAwait(false);
        await SettleAsync(deliveryTag, action, multiple: false).ConfigureAwait(false);
    }

    /// <summary>Commits the open batch and acks everything it covers (never before the commit).</summary>
    private async Task FlushAsync()
    {
        if (_batch is null || !_batchOpen)
        {
            return;
        }
        var (count, lastTag) = (_pendingCount, _lastPendingTag);
        (_batchOpen, _pendingCount) = (false, 0);
        try
        {
            await _batch.CommitBatchAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing of this batch is durable: requeue it all (redelivered, processed again).
            _logger.LogError(IntakeLog.ProcessingFailed, e, "Committing {Count} outcomes failed; requeueing them", count);
            if (count > 0)
            {
                await SettleAsync(lastTag, DeliveryAction.Requeue, multiple: true).ConfigureAwait(false);
            }
            return;
        }
        if (count > 0)
        {
            await SettleAsync(lastTag, DeliveryAction.Ack, multiple: true).ConfigureAwait(false);
        }
    }
}
