using KvmNovaTuner.Ovs.Protocol;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Ovs.Qos;

/// <summary>An Interface row's bandwidth-relevant columns; <see cref="Raw"/> keeps the wire values for <c>wait</c>.</summary>
public sealed record InterfaceRow(string Uuid, string Name, string Type, long PolicingRate, long PolicingBurst, IReadOnlyDictionary<string, string> ExternalIds, JObject Raw)
{
    public static readonly string[] Columns = ["_uuid", "name", "type", "ingress_policing_rate", "ingress_policing_burst", "external_ids"];
    public static readonly string[] WaitColumns = ["ingress_policing_rate", "ingress_policing_burst", "external_ids"];

    public static InterfaceRow From(JObject row) => new(
        OvsdbValue.ReadUuid(row["_uuid"])!,
        row["name"]!.ToString(),
        OvsdbValue.ReadString(row["type"]) ?? "",
        OvsdbValue.ReadInteger(row["ingress_policing_rate"]),
        OvsdbValue.ReadInteger(row["ingress_policing_burst"]),
        OvsdbValue.ReadStringMap(row["external_ids"]),
        row);
}

/// <summary>A Port row: its name and the QoS it points at.</summary>
public sealed record PortRow(string Uuid, string Name, string? QosUuid, JObject Raw)
{
    public static readonly string[] Columns = ["_uuid", "name", "qos"];
    public static readonly string[] WaitColumns = ["qos"];

    public static PortRow From(JObject row) => new(OvsdbValue.ReadUuid(row["_uuid"])!, row["name"]!.ToString(), OvsdbValue.ReadUuid(row["qos"]), row);
}

/// <summary>A QoS row: type, other_config, external_ids and its queues by queue number.</summary>
public sealed record QosRow(string Uuid, string Type, IReadOnlyDictionary<string, string> OtherConfig, IReadOnlyDictionary<string, string> ExternalIds, IReadOnlyDictionary<long, string> Queues, JObject Raw)
{
    public static readonly string[] Columns = ["_uuid", "type", "other_config", "external_ids", "queues"];
    public static readonly string[] WaitColumns = ["type", "other_config", "external_ids", "queues"];

    public static QosRow From(JObject row) => new(
        OvsdbValue.ReadUuid(row["_uuid"])!,
        OvsdbValue.ReadString(row["type"]) ?? "",
        OvsdbValue.ReadStringMap(row["other_config"]),
        OvsdbValue.ReadStringMap(row["external_ids"]),
        OvsdbValue.ReadUuidMap(row["queues"]),
        row);
}

/// <summary>A Queue row: other_config and external_ids.</summary>
public sealed record QueueRow(string Uuid, IReadOnlyDictionary<string, string> OtherConfig, IReadOnlyDictionary<string, string> ExternalIds, JObject Raw)
{
    public static readonly string[] Columns = ["_uuid", "other_config", "external_ids"];
    public static readonly string[] WaitColumns = ["other_config", "external_ids"];

    public static QueueRow From(JObject row) => new(
        OvsdbValue.ReadUuid(row["_uuid"])!,
        OvsdbValue.ReadStringMap(row["other_config"]),
        OvsdbValue.ReadStringMap(row["external_ids"]),
        row);
}

/// <summary>Everything about one VM port's bandwidth as read in one pass: Interface, Port, QoS and its queues.</summary>
public sealed record OvsPortSnapshot(InterfaceRow Interface, PortRow? Port, QosRow? Qos, IReadOnlyDictionary<long, QueueRow> Queues)
{
    public string Name => Interface.Name;

    /// <summary>True for the DPDK port types, which take an egress-policer instead of linux-htb.</summary>
    public bool IsDpdk => Interface.Type is "dpdk" or "dpdkvhostuser" or "dpdkvhostuserclient";

    public string? QosOwner => Qos is null ? null : OvsOwnership.ClassifyRow(Qos.ExternalIds);

    public string? PolicingOwner => OvsOwnership.ClassifyPolicing(Interface.PolicingRate, Interface.PolicingBurst, Interface.ExternalIds, QosOwner);
}
