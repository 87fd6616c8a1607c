using KvmNovaTuner.Agent.Logging;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Recovery;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.OpenStack.Http;
using KvmNovaTuner.OpenStack.Snapshots;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// Automatic recovery (<c>tuner:auto_recover</c>) off the event path. For an instance that went to ERROR it decides
/// at once (<see cref="AutoRecoveryPolicy"/>, over the recoveries in the <see cref="SnapshotStore"/>) and records the
/// decision; a started recovery is queued and carried out by a background loop (<see cref="RecoveryRunner"/>: rebuild
/// from the newest active snapshot, followed to its end), so a rebuild that takes minutes never holds up the intake.
/// </summary>
public sealed class AutoRecoveryRunner : IAsyncDisposable
{
    private readonly RecoveryRunner _runner;
    private readonly SnapshotStore _store;
    private readonly AutoRecoveryOptions _options;
    private readonly AgentMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _decide = new();
    private readonly BackgroundQueue<(long Id, string ServerId)> _queue;

    public AutoRecoveryRunner(RecoveryRunner runner, SnapshotStore store, AutoRecoveryOptions options, AgentMetrics metrics, TimeProvider time, ILogger logger)
    {
        _runner = runner;
        _store = store;
        _options = options;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _queue = new BackgroundQueue<(long Id, string ServerId)>((job, ct) => RunAsync(job.Id, job.ServerId, ct));
    }

    /// <summary>
    /// Decides about an instance-went-to-ERROR event whose flavor specs the pipeline resolved (null when it found none);
    /// a start is recorded as a <c>new</c> recovery and queued. Returns the note for the event's journal detail.
    /// </summary>
    public string Offer(InstanceEvent instanceEvent, IReadOnlyDictionary<string, string>? extraSpecs)
    {
        ArgumentNullException.ThrowIfNull(instanceEvent);
        var server = instanceEvent.InstanceUuid ?? "";
        var trigger = $"{RecoveryRecord.AutoTrigger}: instance went to ERROR (message id {instanceEvent.MessageId})";
        try
        {
            lock (_decide)
            {
                var decision = AutoRecoveryPolicy.Decide(new AutoRecoveryRequest(
                    instanceEvent.State,
                    extraSpecs is not null,
                    SpecParser.Parse(extraSpecs).Spec.AutoRecover == true,
                    [.. _store.Recoveries(server).Select(r => new EarlierRecovery(r.Id, r.IsAutomatic, r.InProgress, r.Status == RecoveryStatus.Ignored, r.StartedAt))],
                    _time.GetUtcNow(),
                    _options));
                return Act(decision, server, trigger);
            }
        }
        catch (SqliteException e)
        {
            _logger.LogWarning(LogEvents.AutoRecoverySkipped, "Auto-recovery of {Server} not decided: the recovery store failed ({Reason})", server, e.Message);
            return $"auto-recovery: not decided (the recovery store failed: {e.Message})";
        }
    }

    private string Act(AutoRecoveryDecision decision, string server, string trigger)
    {
        switch (decision.Verdict)
        {
            case AutoRecoveryVerdict.Start:
                var id = _runner.Begin(server, null, trigger, trigger);
                _queue.TryEnqueue((id, server));
                _logger.LogInformation(LogEvents.AutoRecoveryStarted, "Auto-recovery {Id} of {Server} started: {Reason}", id, server, decision.Reason);
                return $"auto-recovery: started (recovery {id}; {decision.Reason})";
            case AutoRecoveryVerdict.Ignore:
                var record = _runner.Decline(server, trigger, decision.Reason);
                _metrics.Recoveries.WithLabels(RecoveryRecord.AutoTrigger, record.StatusText).Inc();
                _logger.LogWarning(LogEvents.AutoRecoveryIgnored, "Auto-recovery of {Server} ignored (recovery {Id}): {Reason}", server, record.Id, decision.Reason);
                return $"auto-recovery: ignored (recovery {record.Id}; {decision.Reason})";
            default:
                _logger.LogInformation(LogEvents.AutoRecoverySkipped, "Auto-recovery of {Server} skipped: {Reason}", server, decision.Reason);
                return $"auto-recovery: skipped ({decision.Reason})";
        }
    }

    /// <summary>Carries out one queued recovery, counts and logs how it ended. One that the stop cuts off stays recorded as running and counts as abandoned after a while.</summary>
    private async Task RunAsync(long id, string server, CancellationToken cancellationToken)
    {
        var record = await RecoverAsync(id, server, cancellationToken).ConfigureAwait(false);
        if (record is null) return;
        _metrics.Recoveries.WithLabels(RecoveryRecord.AutoTrigger, record.StatusText).Inc();
        _logger.Log(record.Status == RecoveryStatus.Finished ? LogLevel.Information : LogLevel.Warning, LogEvents.AutoRecoveryEnded,
            "Auto-recovery {Id} of {Server}: {Status} ({Reason})", id, server, record.StatusText, record.Reason);
    }

    /// <summary>Carries out one recovery; a cloud or store failure ends it as failed instead of ending the loop.</summary>
    private async Task<RecoveryRecord?> RecoverAsync(long id, string server, CancellationToken cancellationToken)
    {
        try
        {
            return await _runner.RunAsync(id, server, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OpenStackApiException or OpenStackUnavailableException or HttpRequestException or TimeoutException or SqliteException)
        {
            try
            {
                return _runner.Abandon(id, server, $"the recovery could not be carried out: {e.Message}");
            }
            catch (SqliteException inner)
            {
                _logger.LogError(LogEvents.AutoRecoveryEnded, "Auto-recovery {Id} of {Server} failed ({Reason}) and could not be recorded ({StoreReason})", id, server, e.Message, inner.Message);
                return null;
            }
        }
    }

    public ValueTask DisposeAsync() => _queue.DisposeAsync();
}
