using KvmNovaTuner.OpenStack.Nova;

namespace KvmNovaTuner.OpenStack.Reporting;

/// <summary>What <see cref="StatusWaiter"/> saw last: the status (null when not final yet), the detail, and whether time ran out.</summary>
public sealed record WaitOutcome(string ServerId, TunerStatus? Status, string? RawStatus, string? Detail, bool TimedOut, TimeSpan Waited);

/// <summary>
/// Polls a server's metadata until <c>tuner:status</c> is final (applied, partial, pending-restart, failed)
/// or the timeout passes. For boot automation (`wait`).
/// </summary>
public sealed class StatusWaiter(NovaClient nova, TimeProvider time)
{
    public async Task<WaitOutcome> WaitAsync(string serverId, TimeSpan timeout, TimeSpan interval, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            var metadata = await nova.GetMetadataAsync(serverId, cancellationToken).ConfigureAwait(false);
            metadata.TryGetValue(TunerMetadata.StatusKey, out var raw);
            metadata.TryGetValue(TunerMetadata.DetailKey, out var detail);
            var status = TunerMetadata.ParseWire(raw);
            var waited = time.GetElapsedTime(started);
            if (status is not null) return new WaitOutcome(serverId, status, raw, detail, false, waited);
            if (waited >= timeout) return new WaitOutcome(serverId, null, raw, detail, true, waited);
            var remaining = timeout - waited;
            await Task.Delay(remaining < interval ? remaining : interval, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
