using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>Group commit: deliveries recorded in one open store batch, committed once, then acked with one multiple-ack.</summary>
public sealed partial class ConsumerLoop
{
    private readonly IBatchCommitter? _batch;
    private readonly ITimer _flushTimer;
    private bool _batchOpen;
    private int _pendingCount;
    private ulong _lastPendingTag;

    /// <summary>Called holding the (single) slot, after a delivery was processed inside the open batch.</summary>
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
            else
            {
                // Flush soon if nothing else arrives: an idle queue must not hold outcomes unacked.
                _flushTimer.Change(FlushDelay, Timeout.InfiniteTimeSpan);
            }
            return;
        }
        await FlushAsync().ConfigureAwait(false);
        await SettleAsync(deliveryTag, action, multiple: false).ConfigureAwait(false);
    }

    /// <summary>Commits the open batch and acks everything it covers. Call holding every slot.</summary>
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
        catch (SqliteException e)
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

    private async Task FlushFromTimerAsync()
    {
        if (!await _slots.WaitAsync(0).ConfigureAwait(false))
        {
            return; // a delivery is being processed: it re-arms or flushes
        }
        try
        {
            await FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(IntakeLog.ProcessingFailed, e, "Flushing the intake batch failed");
        }
        finally
        {
            _slots.Release();
        }
    }
}
