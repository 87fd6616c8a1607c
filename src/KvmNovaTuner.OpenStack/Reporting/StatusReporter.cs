using KvmNovaTuner.OpenStack.Http;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.OpenStack.Reporting;

/// <summary>Outbox retry schedule: the delay after the Nth failed delivery of a row.</summary>
public sealed record ReporterOptions
{
    public TimeSpan FirstRetry { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxRetry { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Reports outcomes on the server's metadata through the durable outbox. <see cref="Report"/> only writes to
/// the local store (intake never waits for Nova); <see cref="RunAsync"/> delivers in the background, keeps
/// retrying 409s, 5xx and outages with growing delays until delivery succeeds, and drops only writes Nova
/// can never accept (the server is gone, or a 400).
/// </summary>
public sealed class StatusReporter(OutboxStore outbox, IServerMetadataWriter writer, TimeProvider time, ILogger logger, ReporterOptions? options = null)
{
    private readonly ReporterOptions options = options ?? new ReporterOptions();
    private readonly SemaphoreSlim wakeUp = new(0, int.MaxValue);

    /// <summary>Queues <c>tuner:status</c> and <c>tuner:detail</c> for a server.</summary>
    public void Report(string serverId, TunerStatus status, string detail)
    {
        Put(serverId, TunerMetadata.StatusKey, status.ToWire());
        Put(serverId, TunerMetadata.DetailKey, detail);
    }

    /// <summary>Queues one metadata value (sanitized to Nova's limits); null deletes the key.</summary>
    public void Put(string serverId, string key, string? value)
    {
        if (!MetadataText.IsValidKey(key)) throw new ArgumentException($"'{key}' is not a valid Nova metadata key", nameof(key));
        outbox.Put(serverId, key, value is null ? null : MetadataText.Value(value), time.GetUtcNow());
        wakeUp.Release();
    }

    /// <summary>Delivers queued writes until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await DrainOnceAsync(cancellationToken).ConfigureAwait(false);
            var next = outbox.NextDue();
            var wait = next is null ? Timeout.InfiniteTimeSpan : next.Value - time.GetUtcNow();
            if (wait == Timeout.InfiniteTimeSpan || wait > TimeSpan.Zero)
            {
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                if (wait != Timeout.InfiniteTimeSpan) timer.CancelAfter(wait);
                try
                {
                    await wakeUp.WaitAsync(timer.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The next row is due.
                }
            }
        }
    }

    /// <summary>Tries every due row once; returns how many were delivered.</summary>
    public async Task<int> DrainOnceAsync(CancellationToken cancellationToken = default)
    {
        var delivered = 0;
        foreach (var item in outbox.Due(time.GetUtcNow()))
        {
            try
            {
                if (item.Value is null) await writer.DeleteAsync(item.ServerId, item.Key, cancellationToken).ConfigureAwait(false);
                else await writer.SetAsync(item.ServerId, item.Key, item.Value, cancellationToken).ConfigureAwait(false);
                outbox.Complete(item);
                delivered++;
            }
            catch (OpenStackApiException e) when (e.StatusCode is 404 or 400)
            {
                logger.LogWarning("Dropping {Key} for server {Server}: Nova will never accept it ({Reason})", item.Key, item.ServerId, e.Message);
                outbox.Complete(item);
            }
            catch (Exception e) when (e is OpenStackApiException or OpenStackUnavailableException or Auth.CloudConfigException)
            {
                var delay = RetryDelay(item.Attempts);
                logger.LogWarning("Could not write {Key} on server {Server} (attempt {Attempt}); retrying in {Delay} s: {Reason}",
                    item.Key, item.ServerId, item.Attempts + 1, (int)delay.TotalSeconds, e.Message);
                outbox.Reschedule(item, time.GetUtcNow() + delay, e.Message);
            }
        }
        return delivered;
    }

    private TimeSpan RetryDelay(int attempts)
    {
        var factor = Math.Pow(2, Math.Min(attempts, 20));
        var delay = TimeSpan.FromMilliseconds(options.FirstRetry.TotalMilliseconds * factor);
        return delay < options.MaxRetry ? delay : options.MaxRetry;
    }
}
