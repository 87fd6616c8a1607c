using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Protocol;
using Newtonsoft.Json.Linq;
using static KvmNovaTuner.Ovs.Qos.PortChangeOps;

namespace KvmNovaTuner.Ovs.Qos;

/// <summary>
/// Turns one port's <c>ovs_policing</c> and <c>ovs_qos</c> actions and its current rows into one transaction:
/// <c>wait</c> guards on every row read (optimistic concurrency), then the writes, every row tagged with the
/// tuner's marks. Rows owned by someone else are left alone (a conflict) unless the tuner owns bandwidth here.
/// </summary>
public static class PortChangeBuilder
{
    public static PortChange Build(OvsPortSnapshot port, PlanAction? policing, PlanAction? qos, string instanceUuid, bool tunerOwnsBandwidth)
    {
        var ops = new List<OvsdbOperation>();
        var results = new List<ActionResult>();
        if (policing is not null)
        {
            results.Add(Policing(port, policing, instanceUuid, tunerOwnsBandwidth, ops));
        }
        if (qos is not null)
        {
            results.Add(Qos(port, qos, instanceUuid, tunerOwnsBandwidth, ops));
        }
        // Guards run first so that a concurrent change aborts the whole transaction before any write.
        return new PortChange([.. ops.Where(o => o.Op == "wait"), .. ops.Where(o => o.Op != "wait")], results);
    }

    private static ActionResult Policing(OvsPortSnapshot port, PlanAction action, string instanceUuid, bool owns, List<OvsdbOperation> ops)
    {
        var iface = port.Interface;
        var before = DesiredPolicing.Describe(iface.PolicingRate, iface.PolicingBurst);
        DesiredPolicing desired;
        try
        {
            desired = DesiredPolicing.FromSettings(action.Settings);
        }
        catch (FormatException e)
        {
            return Result(action, ActionStatus.Failed, before, before, e.Message);
        }
        var after = DesiredPolicing.Describe(desired.Rate, desired.Burst);
        var equal = iface.PolicingRate == desired.Rate && iface.PolicingBurst == desired.Burst;
        if (equal && MarkedFor(iface.ExternalIds, instanceUuid))
        {
            return Result(action, ActionStatus.Unchanged, before, after, null);
        }
        if (port.PolicingOwner is { } owner && owner != OvsOwnership.Tuner && !owns)
        {
            return equal
                ? Result(action, ActionStatus.Unchanged, before, after, $"already in effect, set by {owner}")
                : Result(action, ActionStatus.Failed, before, before, Conflict("ingress policing", port.Name, owner));
        }
        var externalIds = OvsOwnership.WithoutMarks(iface.ExternalIds);
        foreach (var (k, v) in OvsOwnership.Marks(instanceUuid))
        {
            externalIds[k] = v;
        }
        ops.Add(WaitUnchanged("Interface", iface.Uuid, iface.Raw, InterfaceRow.WaitColumns));
        ops.Add(OvsdbOperation.Update("Interface", OvsdbWhere.Uuid(iface.Uuid), new JObject
        {
            [DesiredPolicing.RateKey] = desired.Rate,
            [DesiredPolicing.BurstKey] = desired.Burst,
            ["external_ids"] = Map(externalIds),
        }));
        return Result(action, ActionStatus.Applied, before, after, null);
    }

    private static ActionResult Qos(OvsPortSnapshot port, PlanAction action, string instanceUuid, bool owns, List<OvsdbOperation> ops)
    {
        var current = port.Qos;
        var queue0 = port.Queues.GetValueOrDefault(0);
        var before = current is null ? new Dictionary<string, string>() : DesiredQos.Describe(current.Type, current.OtherConfig, queue0?.OtherConfig);
        DesiredQos desired;
        try
        {
            desired = DesiredQos.FromSettings(action.Settings, port.IsDpdk);
        }
        catch (FormatException e)
        {
            return Result(action, ActionStatus.Failed, before, before, e.Message);
        }
        if (port.Port is not { } portRow)
        {
            return Result(action, ActionStatus.Failed, before, before, $"no Port row named {port.Name}");
        }
        var after = desired.Describe();
        if (current is not null)
        {
            var equal = current.Type == desired.Type && SameMap(current.OtherConfig, desired.QosConfig) && QueuesMatch(current, port.Queues, desired);
            if (equal && MarkedFor(current.ExternalIds, instanceUuid) && port.Queues.Values.All(q => MarkedFor(q.ExternalIds, instanceUuid)))
            {
                return Result(action, ActionStatus.Unchanged, before, after, null);
            }
            if (port.QosOwner is { } owner && owner != OvsOwnership.Tuner && !owns)
            {
                return equal
                    ? Result(action, ActionStatus.Unchanged, before, after, $"already in effect, set by {owner}")
                    : Result(action, ActionStatus.Failed, before, before, Conflict("QoS", port.Name, owner));
            }
        }
        var marks = Map(OvsOwnership.Marks(instanceUuid, port.Name));
        ops.Add(WaitUnchanged("Port", portRow.Uuid, portRow.Raw, PortRow.WaitColumns));
        var queues = new List<KeyValuePair<long, JToken>>();
        if (desired.QueueConfig is { } queueConfig)
        {
            var queueRow = new JObject { ["other_config"] = Map(queueConfig), ["external_ids"] = marks.DeepClone() };
            if (queue0 is not null)
            {
                ops.Add(OvsdbOperation.Update("Queue", OvsdbWhere.Uuid(queue0.Uuid), queueRow));
                queues.Add(new(0, OvsdbValue.Uuid(queue0.Uuid)));
            }
            else
            {
                ops.Add(OvsdbOperation.Insert("Queue", queueRow, "knt_queue"));
                queues.Add(new(0, OvsdbValue.NamedUuid("knt_queue")));
            }
        }
        var qosRow = new JObject
        {
            ["type"] = desired.Type,
            ["other_config"] = Map(desired.QosConfig),
            ["external_ids"] = marks,
            ["queues"] = OvsdbValue.Map(queues),
        };
        if (current is null)
        {
            ops.Add(OvsdbOperation.Insert("QoS", qosRow, "knt_qos"));
            ops.Add(OvsdbOperation.Update("Port", OvsdbWhere.Uuid(portRow.Uuid), new JObject { ["qos"] = OvsdbValue.NamedUuid("knt_qos") }));
            return Result(action, ActionStatus.Applied, before, after, null);
        }
        ops.Add(WaitUnchanged("QoS", current.Uuid, current.Raw, QosRow.WaitColumns));
        foreach (var (number, queue) in port.Queues)
        {
            ops.Add(WaitUnchanged("Queue", queue.Uuid, queue.Raw, QueueRow.WaitColumns));
            if (number != 0 || desired.QueueConfig is null)
            {
                // Queues the new shape does not use would be orphans once the QoS stops pointing at them.
                ops.Add(OvsdbOperation.Delete("Queue", OvsdbWhere.Uuid(queue.Uuid)));
            }
        }
        ops.Add(OvsdbOperation.Update("QoS", OvsdbWhere.Uuid(current.Uuid), qosRow));
        var message = port.QosOwner is { } previous && previous != OvsOwnership.Tuner ? $"took over QoS owned by {previous}" : null;
        return Result(action, ActionStatus.Applied, before, after, message);
    }

    private static bool QueuesMatch(QosRow current, IReadOnlyDictionary<long, QueueRow> queues, DesiredQos desired) =>
        desired.QueueConfig is null
            ? current.Queues.Count == 0
            : current.Queues.Count == 1 && queues.TryGetValue(0, out var q0) && SameMap(q0.OtherConfig, desired.QueueConfig);

    private static ActionResult Result(PlanAction action, ActionStatus status, IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, string? message) =>
        new(action.Kind, action.Target, status, before, after, message);
}
