using KvmNovaTuner.OpenStack.Http;
using KvmNovaTuner.OpenStack.Nova;

namespace KvmNovaTuner.OpenStack.Reporting;

/// <summary>
/// What <see cref="StatusWaiter"/> saw last: the status (null when not final yet), the detail, whether time ran out,
/// and, when the cloud never answered within the time, why not (<see cref="Unreachable"/>).
/// </summary>
public sealed record WaitOutcome(string ServerId, TunerStatus? Status, string? RawStatus, string? Detail, bool TimedOut, TimeSpan Waited)
{
    /// <summary>Set when the cloud never answered and a call failed to connect: the last connection failure, secrets scrubbed.</summary>
    public string? Unreachable { get; init; }
}

/// <summary>
/// Polls a server's metadata until <c>tuner:status</c> is final (applied, partial, pending-restart, failed) or the
/// timeout passes. One deadline bounds everything, every HTTP call and its retries included, so the wait ends
/// within the timeout whatever the cloud does. A cloud that is down is polled again each interval until then.
/// For boot automation (`wait`).
/// </summary>
public sealed class StatusWaiter(NovaClient nova, TimeProvider time)
{
    /// <summary>
    /// Retries for a waiter's connection: one quick retry per poll, so a failure reaches the waiter (which polls again
    /// each interval) and can be reported, instead of the session's long backoff being cut off by the deadline.
    /// </summary>
    public static RetryOptions Retry { get; } = new() { MaxRetryAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(1) };

    public async Task<WaitOutcome> WaitAsync(string serverId, TimeSpan timeout, TimeSpan interval, CancellationToken cancellationToken = default)
    {
        var started = time.GetTimestamp();
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var answered = false;
        string? raw = null, detail = null, lastFailure = null;
        WaitOutcome Expired() => new(serverId, null, raw, detail, true, time.GetElapsedTime(started))
        {
            // Unreachable only on a connection failure: a cloud that is merely slow (or silent) timed out.
            Unreachable = answered ? null : lastFailure,
        };
        while (true)
        {
            try
            {
                var metadata = await nova.GetMetadataAsync(serverId, linked.Token).ConfigureAwait(false);
                answered = true;
                metadata.TryGetValue(TunerMetadata.StatusKey, out raw);
                metadata.TryGetValue(TunerMetadata.DetailKey, out detail);
                if (TunerMetadata.ParseWire(raw) is { } status)
                {
                    return new WaitOutcome(serverId, status, raw, detail, false, time.GetElapsedTime(started));
                }
            }
            catch (OpenStackUnavailableException e)
            {
                lastFailure = e.Message;
            }
            catch (OpenStackApiException e) when (e.IsTransient)
            {
                answered = true; // the cloud is there, only busy: keep polling
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return Expired();
            }
            var remaining = timeout - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                return Expired();
            }
            try
            {
                await Task.Delay(remaining < interval ? remaining : interval, time, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return Expired();
            }
        }
    }
}
