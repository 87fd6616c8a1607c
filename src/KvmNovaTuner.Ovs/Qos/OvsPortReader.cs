using KvmNovaTuner.Core.State;
using KvmNovaTuner.Ovs.Protocol;

namespace KvmNovaTuner.Ovs.Qos;

/// <summary>
/// Finds an instance's OVS ports — by os-vif's <c>Interface.external_ids:vm-uuid</c>, falling back to the tap
/// names from the event — and reads their policing, QoS and queues in a few round trips.
/// </summary>
public sealed class OvsPortReader(OvsdbClient client, string database = OvsdbClient.OpenVSwitchDatabase)
{
    /// <summary>The instance's ports as the planner sees them.</summary>
    public async Task<IReadOnlyList<OvsPortState>> ReadAsync(string? instanceUuid, IEnumerable<string> tapNames, CancellationToken cancellationToken = default)
    {
        var snapshots = await ReadSnapshotsAsync(instanceUuid, [.. tapNames], cancellationToken).ConfigureAwait(false);
        return [.. snapshots.Select(ToState)];
    }

    /// <summary>Raw rows of the instance's ports (found by vm-uuid, plus any of <paramref name="tapNames"/>).</summary>
    public async Task<IReadOnlyList<OvsPortSnapshot>> ReadSnapshotsAsync(string? instanceUuid, IReadOnlyCollection<string> tapNames, CancellationToken cancellationToken = default)
    {
        var ops = new List<OvsdbOperation>();
        if (instanceUuid is not null)
        {
            ops.Add(OvsdbOperation.Select("Interface", OvsdbWhere.Includes("external_ids", OvsOwnership.VmUuidKey, instanceUuid), InterfaceRow.Columns));
        }
        foreach (var tap in tapNames)
        {
            ops.Add(OvsdbOperation.Select("Interface", OvsdbWhere.Equal("name", tap), InterfaceRow.Columns));
            ops.Add(OvsdbOperation.Select("Port", OvsdbWhere.Equal("name", tap), PortRow.Columns));
        }
        if (ops.Count == 0)
        {
            return [];
        }
        var first = await client.TransactOrThrowAsync(database, ops, cancellationToken).ConfigureAwait(false);
        var interfaces = new Dictionary<string, InterfaceRow>(StringComparer.Ordinal);
        var ports = new Dictionary<string, PortRow>(StringComparer.Ordinal);
        for (var i = 0; i < ops.Count; i++)
        {
            foreach (var row in first.Rows(i))
            {
                if (ops[i].Table == "Interface")
                {
                    var iface = InterfaceRow.From(row);
                    interfaces[iface.Name] = iface;
                }
                else
                {
                    var port = PortRow.From(row);
                    ports[port.Name] = port;
                }
            }
        }
        await ReadMissingPortsAsync(interfaces.Keys.Where(n => !ports.ContainsKey(n)).ToList(), ports, cancellationToken).ConfigureAwait(false);
        var qos = await ReadByUuidAsync("QoS", QosRow.Columns, ports.Values.Select(p => p.QosUuid), QosRow.From, cancellationToken).ConfigureAwait(false);
        var queues = await ReadByUuidAsync("Queue", QueueRow.Columns, qos.Values.SelectMany(q => q.Queues.Values), QueueRow.From, cancellationToken).ConfigureAwait(false);
        return [.. interfaces.Values.OrderBy(i => i.Name, StringComparer.Ordinal).Select(iface =>
        {
            var port = ports.GetValueOrDefault(iface.Name);
            var qosRow = port?.QosUuid is { } q ? qos.GetValueOrDefault(q) : null;
            var queueRows = qosRow?.Queues.Where(p => queues.ContainsKey(p.Value)).ToDictionary(p => p.Key, p => queues[p.Value]) ?? [];
            return new OvsPortSnapshot(iface, port, qosRow, queueRows);
        })];
    }

    /// <summary>The planner's view of one port: values as OVS stores them and the owner of its bandwidth rows.</summary>
    public static OvsPortState ToState(OvsPortSnapshot snapshot)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        if (snapshot.Qos is { } qos)
        {
            foreach (var (key, value) in qos.OtherConfig)
            {
                settings[key] = value;
            }
            if (snapshot.Queues.Count == 1)
            {
                foreach (var (key, value) in snapshot.Queues.Values.Single().OtherConfig)
                {
                    settings[key] = value;
                }
            }
        }
        var owners = new[] { snapshot.QosOwner, snapshot.PolicingOwner }.OfType<string>().ToList();
        return new OvsPortState
        {
            Name = snapshot.Name,
            InterfaceType = snapshot.Interface.Type,
            IngressPolicingRate = snapshot.Interface.PolicingRate,
            IngressPolicingBurst = snapshot.Interface.PolicingBurst,
            QosType = snapshot.Qos?.Type,
            QosSettings = settings,
            // A foreign owner wins: it is the one the tuner must not fight.
            Owner = owners.FirstOrDefault(o => o != OvsOwnership.Tuner) ?? owners.FirstOrDefault(),
        };
    }

    private async Task ReadMissingPortsAsync(List<string> names, Dictionary<string, PortRow> ports, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return;
        }
        var ops = names.Select(n => OvsdbOperation.Select("Port", OvsdbWhere.Equal("name", n), PortRow.Columns)).ToList();
        var result = await client.TransactOrThrowAsync(database, ops, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < ops.Count; i++)
        {
            foreach (var port in result.Rows(i).Select(PortRow.From))
            {
                ports[port.Name] = port;
            }
        }
    }

    private async Task<Dictionary<string, T>> ReadByUuidAsync<T>(string table, string[] columns, IEnumerable<string?> uuids, Func<Newtonsoft.Json.Linq.JObject, T> parse, CancellationToken cancellationToken)
    {
        var wanted = uuids.OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return [];
        }
        var ops = wanted.Select(u => OvsdbOperation.Select(table, OvsdbWhere.Uuid(u), columns)).ToList();
        var result = await client.TransactOrThrowAsync(database, ops, cancellationToken).ConfigureAwait(false);
        return wanted.Select((uuid, i) => (uuid, rows: result.Rows(i)))
            .Where(x => x.rows.Count == 1)
            .ToDictionary(x => x.uuid, x => parse(x.rows[0]), StringComparer.Ordinal);
    }
}
