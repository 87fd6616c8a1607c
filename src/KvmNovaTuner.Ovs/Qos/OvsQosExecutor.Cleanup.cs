using System.Globalization;
using KvmNovaTuner.Ovs.Protocol;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Ovs.Qos;

/// <summary>Removal of the tuner's rows: an instance that is deleted or moved away, and orphans.</summary>
public sealed partial class OvsQosExecutor
{
    /// <summary>
    /// Removes everything the tuner wrote for the instance in one transaction: detaches its QoS from any Port
    /// still pointing at it, deletes its QoS and Queue rows, resets the policing it set and drops its marks.
    /// </summary>
    public Task<OvsCleanupResult> RemoveInstanceAsync(string instanceUuid, bool dryRun = false, CancellationToken cancellationToken = default) =>
        ExclusiveAsync(() => RemoveInstanceExclusiveAsync(instanceUuid, dryRun, cancellationToken), cancellationToken);

    private async Task<OvsCleanupResult> RemoveInstanceExclusiveAsync(string instanceUuid, bool dryRun, CancellationToken cancellationToken)
    {
        var byInstance = OvsdbWhere.Includes("external_ids", OvsOwnership.InstanceKey, instanceUuid);
        var find = await _client.TransactOrThrowAsync(_options.Database,
        [
            OvsdbOperation.Select("QoS", byInstance, "_uuid"),
            OvsdbOperation.Select("Queue", byInstance, "_uuid"),
            OvsdbOperation.Select("Interface", byInstance, "_uuid", "name", "external_ids"),
        ], cancellationToken).ConfigureAwait(false);
        var qos = find.Rows(0).Select(r => OvsdbValue.ReadUuid(r["_uuid"])!).ToList();
        var queues = find.Rows(1).Select(r => OvsdbValue.ReadUuid(r["_uuid"])!).ToList();
        var interfaces = find.Rows(2);
        var ports = await PortsReferencingAsync(qos, cancellationToken).ConfigureAwait(false);
        var result = new OvsCleanupResult(qos.Count, queues.Count, interfaces.Count, ports.Count);
        if (dryRun || result.Total == 0)
        {
            return result;
        }
        var ops = new List<OvsdbOperation>();
        foreach (var (port, qosUuid) in ports)
        {
            ops.Add(OvsdbOperation.Update("Port", [.. OvsdbWhere.Uuid(port), .. OvsdbWhere.Equal("qos", OvsdbValue.Uuid(qosUuid))], new JObject { ["qos"] = OvsdbValue.EmptySet() }).Optional());
        }
        foreach (var iface in interfaces)
        {
            ops.Add(OvsdbOperation.Update("Interface", OvsdbWhere.Uuid(OvsdbValue.ReadUuid(iface["_uuid"])!), new JObject
            {
                [DesiredPolicing.RateKey] = 0,
                [DesiredPolicing.BurstKey] = 0,
                ["external_ids"] = OvsdbValue.Map(OvsOwnership.WithoutMarks(OvsdbValue.ReadStringMap(iface["external_ids"]))),
            }).Optional());
        }
        ops.AddRange(qos.Select(u => OvsdbOperation.Delete("QoS", OvsdbWhere.Uuid(u))));
        ops.AddRange(queues.Select(u => OvsdbOperation.Delete("Queue", OvsdbWhere.Uuid(u))));
        await _client.TransactOrThrowAsync(_options.Database, ops, cancellationToken).ConfigureAwait(false);
        foreach (var tracked in _tracked.Values.Where(t => t.InstanceUuid == instanceUuid))
        {
            _tracked.TryRemove(tracked.Port, out _);
        }
        return result;
    }

    /// <summary>Deletes tuner-owned QoS rows no Port points at and tuner-owned Queue rows no QoS lists.</summary>
    public Task<OvsCleanupResult> CollectOrphansAsync(CancellationToken cancellationToken = default) =>
        ExclusiveAsync(() => CollectOrphansExclusiveAsync(cancellationToken), cancellationToken);

    private async Task<OvsCleanupResult> CollectOrphansExclusiveAsync(CancellationToken cancellationToken)
    {
        var all = await _client.TransactOrThrowAsync(_options.Database,
        [
            OvsdbOperation.Select("Port", OvsdbWhere.All(), "qos"),
            OvsdbOperation.Select("QoS", OvsdbWhere.All(), "_uuid", "queues", "external_ids"),
            OvsdbOperation.Select("Queue", OvsdbWhere.All(), "_uuid", "external_ids"),
        ], cancellationToken).ConfigureAwait(false);
        var usedQos = all.Rows(0).Select(r => OvsdbValue.ReadUuid(r["qos"])).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var qosRows = all.Rows(1).Select(r => (uuid: OvsdbValue.ReadUuid(r["_uuid"])!, queues: OvsdbValue.ReadUuidMap(r["queues"]), ids: OvsdbValue.ReadStringMap(r["external_ids"]))).ToList();
        var orphanQos = qosRows.Where(q => OvsOwnership.IsTunerMarked(q.ids) && !usedQos.Contains(q.uuid)).ToList();
        var usedQueues = qosRows.Except(orphanQos).SelectMany(q => q.queues.Values).ToHashSet(StringComparer.Ordinal);
        var orphanQueues = all.Rows(2)
            .Where(r => OvsOwnership.IsTunerMarked(OvsdbValue.ReadStringMap(r["external_ids"])))
            .Select(r => OvsdbValue.ReadUuid(r["_uuid"])!)
            .Where(u => !usedQueues.Contains(u))
            .ToList();
        var ops = orphanQos.Select(q => OvsdbOperation.Delete("QoS", OvsdbWhere.Uuid(q.uuid)))
            .Concat(orphanQueues.Select(u => OvsdbOperation.Delete("Queue", OvsdbWhere.Uuid(u))))
            .ToList();
        if (ops.Count > 0)
        {
            await _client.TransactOrThrowAsync(_options.Database, ops, cancellationToken).ConfigureAwait(false);
        }
        return new OvsCleanupResult(orphanQos.Count, orphanQueues.Count, 0, 0);
    }

    private async Task<List<(string Port, string Qos)>> PortsReferencingAsync(List<string> qos, CancellationToken cancellationToken)
    {
        if (qos.Count == 0)
        {
            return [];
        }
        var ops = qos.Select(q => OvsdbOperation.Select("Port", OvsdbWhere.Equal("qos", OvsdbValue.Uuid(q)), "_uuid")).ToList();
        var result = await _client.TransactOrThrowAsync(_options.Database, ops, cancellationToken).ConfigureAwait(false);
        return [.. qos.SelectMany((q, i) => result.Rows(i).Select(r => (OvsdbValue.ReadUuid(r["_uuid"])!, q)))];
    }
}

/// <summary>How many rows a cleanup removed (or, in a dry run, would remove).</summary>
public sealed record OvsCleanupResult(int QosRows, int QueueRows, int Interfaces, int PortsDetached)
{
    public int Total => QosRows + QueueRows + Interfaces + PortsDetached;

    public IReadOnlyDictionary<string, string> Describe() => new Dictionary<string, string>
    {
        ["qos_rows"] = QosRows.ToString(CultureInfo.InvariantCulture),
        ["queue_rows"] = QueueRows.ToString(CultureInfo.InvariantCulture),
        ["interfaces"] = Interfaces.ToString(CultureInfo.InvariantCulture),
        ["ports_detached"] = PortsDetached.ToString(CultureInfo.InvariantCulture),
    };
}
