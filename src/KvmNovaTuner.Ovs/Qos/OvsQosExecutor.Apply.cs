using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Protocol;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Ovs.Qos;

/// <summary>One port's transaction with optimistic-concurrency retries.</summary>
public sealed partial class OvsQosExecutor
{
    private async Task<IReadOnlyList<ActionResult>> ApplyPortAsync(TrackedPort port, OvsPortSnapshot snapshot, bool dryRun, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var change = PortChangeBuilder.Build(snapshot, port.Policing, port.Qos, port.InstanceUuid, _options.TunerOwnsBandwidth);
            if (!change.HasWrites)
            {
                return change.Results;
            }
            if (dryRun)
            {
                return change.AsDryRun();
            }
            try
            {
                await _client.TransactOrThrowAsync(_options.Database, change.Operations, cancellationToken).ConfigureAwait(false);
                return change.Results;
            }
            catch (OvsdbTransactionException e) when (e.IsWaitTimeout && attempt < _options.MaxAttempts)
            {
                // Someone wrote the port's rows between our read and our write: read again and rebuild.
                _logger.LogInformation("OVS port {Port} changed concurrently; retrying ({Attempt}/{Max})", port.Port, attempt, _options.MaxAttempts);
                var reread = await _reader.ReadSnapshotsAsync(null, [port.Port], cancellationToken).ConfigureAwait(false);
                if (reread.Count == 0)
                {
                    return change.FailedWith($"port {port.Port} disappeared while being applied");
                }
                snapshot = reread[0];
            }
            catch (Exception e) when (e is OvsdbTransactionException or OvsdbNoRowsMatchedException or OvsdbConnectionException or OvsdbRpcException)
            {
                _logger.LogWarning("OVS bandwidth on {Port} not applied: {Error}", port.Port, e.Message);
                return change.FailedWith(e.Message);
            }
        }
    }

    private async Task<ActionResult> ReleaseAsync(PlanAction action, string? planInstance, bool dryRun, CancellationToken cancellationToken)
    {
        var instanceUuid = action.Target.StartsWith("instance/", StringComparison.Ordinal) ? action.Target["instance/".Length..] : planInstance;
        if (string.IsNullOrEmpty(instanceUuid))
        {
            return new ActionResult(action.Kind, action.Target, ActionStatus.Failed, null, null, "no instance to release");
        }
        try
        {
            var removed = await RemoveInstanceAsync(instanceUuid, dryRun, cancellationToken).ConfigureAwait(false);
            var status = removed.Total == 0 ? ActionStatus.Unchanged : dryRun ? ActionStatus.Skipped : ActionStatus.Applied;
            return new ActionResult(action.Kind, action.Target, status, removed.Describe(), new Dictionary<string, string>(), dryRun && removed.Total > 0 ? "dry run: would remove" : null);
        }
        catch (Exception e) when (e is OvsdbTransactionException or OvsdbConnectionException or OvsdbRpcException)
        {
            return new ActionResult(action.Kind, action.Target, ActionStatus.Failed, null, null, e.Message);
        }
    }
}
