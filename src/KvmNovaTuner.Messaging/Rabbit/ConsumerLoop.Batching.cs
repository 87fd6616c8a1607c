using System.Threading.Channels;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Store;
using Microsoft.Data.Sqlite;
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
            try
            {
                while (reader.TryRead(out var item))
                {
                    if (!_batchOpen)
                    {
                        await _batch!.BeginBatchAsync().ConfigureAwait(false);
                        _batchOpen = true;
                    }
                    await AddToBatchAsync(item.Tag, await ProcessOneAsync(item.Delivery).ConfigureAwait(false)).ConfigureAwait(false);
                }
                await FlushAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The writer must outlive any failure; unacked deliveries come back when the channel closes.
                _logger.LogError(IntakeLog.ProcessingFailed, e, "The intake writer failed; continuing");
            }
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
}
