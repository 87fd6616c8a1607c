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
                var committed = await _client.TransactOrThrowAsync(_options.Database, change.Operations, cancellationToken).ConfigureAwait(false);
                var inserted = change.Operations.ToList().FindIndex(o => o.Op == "insert" && o.Table == "QoS");
                // Only a port the tuner already kept can have left an older QoS of the tuner's behind (drift).
                if (inserted >= 0 && committed.Results[inserted].Uuid is { } newQos && _tracked.TryGetValue(port.Port, out var kept) && kept.Qos is not null)
                {
                    await DeleteStaleQosAsync(port.Port, newQos, cancellationToken).ConfigureAwait(false);
                }
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
            var removed = await RemoveInstanceExclusiveAsync(instanceUuid, dryRun, cancellationToken).ConfigureAwait(false); // the caller holds the write gate
            var status = removed.Total == 0 ? ActionStatus.Unchanged : dryRun ? ActionStatus.Skipped : ActionStatus.Applied;
            return new ActionResult(action.Kind, action.Target, status, removed.Describe(), new Dictionary<string, string>(), dryRun && removed.Total > 0 ? "dry run: would remove" : null);
        }
        catch (Exception e) when (e is OvsdbTransactionException or OvsdbConnectionException or OvsdbRpcException)
        {
            return new ActionResult(action.Kind, action.Target, ActionStatus.Failed, null, null, e.Message);
        }
    }

    /// <summary>
    /// After a new QoS row was inserted for a port, deletes the tuner's older QoS rows for the same port that no
    /// Port points at any more (someone cleared the Port's qos), with their queues: no orphans.
    /// </summary>
    private async Task DeleteStaleQosAsync(string port, string keep, CancellationToken cancellationToken)
    {
        var found = await _client.TransactOrThrowAsync(_options.Database,
            [OvsdbOperation.Select("QoS", OvsdbWhere.Includes("external_ids", OvsOwnership.PortKey, port), "_uuid", "queues", "external_ids")],
            cancellationToken).ConfigureAwait(false);
        var stale = found.Rows(0)
            .Where(r => OvsOwnership.IsTunerMarked(OvsdbValue.ReadStringMap(r["external_ids"])))
            .Select(r => (uuid: OvsdbValue.ReadUuid(r["_uuid"])!, queues: OvsdbValue.ReadUuidMap(r["queues"]).Values))
            .Where(r => r.uuid != keep)
            .ToList();
        foreach (var (uuid, queues) in stale)
        {
            var ops = new List<OvsdbOperation> { OvsdbOperation.Delete("QoS", OvsdbWhere.Uuid(uuid)) };
            ops.AddRange(queues.Select(q => OvsdbOperation.Delete("Queue", OvsdbWhere.Uuid(q))));
            var result = await _client.TransactAsync(_options.Database, ops, cancellationToken).ConfigureAwait(false);
            if (result.FirstError() is { } error)
            {
                // Still referenced by some Port (a referential integrity error): not an orphan after all.
                _logger.LogDebug("kept QoS {Qos} of port {Port}: {Error}", uuid, port, error.Message);
            }
            else
            {
                _logger.LogInformation("deleted the tuner's stale QoS {Qos} of port {Port}", uuid, port);
            }
        }
    }
}
