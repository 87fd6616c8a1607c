namespace KvmNovaTuner.Ovs.Qos;

/// <summary>
/// The <c>external_ids</c> marks that say who owns OVS bandwidth rows, and how the tuner tells its own rows
/// from Neutron's and libvirt's. See docs/ovs.md.
/// </summary>
public static class OvsOwnership
{
    /// <summary>On every row the tuner writes: <c>kvm-nova-tuner:owner=kvm-nova-tuner</c>.</summary>
    public const string OwnerKey = "kvm-nova-tuner:owner";

    /// <summary>On every row the tuner writes: the instance uuid the row serves.</summary>
    public const string InstanceKey = "kvm-nova-tuner:instance";

    /// <summary>On QoS and Queue rows: the tap (port) name the row was written for.</summary>
    public const string PortKey = "kvm-nova-tuner:port";

    public const string Tuner = "kvm-nova-tuner";
    public const string Neutron = "neutron";
    public const string Libvirt = "libvirt";
    public const string Unknown = "unknown";

    /// <summary>os-vif's mark of the instance on each VM Interface.</summary>
    public const string VmUuidKey = "vm-uuid";

    /// <summary>Who owns a QoS or Queue row, from its external_ids.</summary>
    public static string ClassifyRow(IReadOnlyDictionary<string, string> externalIds)
    {
        if (externalIds.TryGetValue(OwnerKey, out var owner) && owner == Tuner)
        {
            return Tuner;
        }
        // libvirt tags the QoS and Queue rows it creates for <bandwidth> with the domain uuid and the tap name.
        if (externalIds.ContainsKey("vm-id") || externalIds.ContainsKey("ifname"))
        {
            return Libvirt;
        }
        // The Neutron OVS agent tags its QoS rows with the rule type and its queues with the port and queue number.
        if (externalIds.ContainsKey("_type") || externalIds.ContainsKey("queue-num") || externalIds.ContainsKey("neutron"))
        {
            return Neutron;
        }
        return Unknown;
    }

    /// <summary>
    /// Who owns an Interface's policing columns: null when policing is off; the tuner when it marked the
    /// Interface; otherwise libvirt when libvirt attached the port (<c>vm-id</c>), else the owner of the Port's QoS, else unknown.
    /// </summary>
    public static string? ClassifyPolicing(long rate, long burst, IReadOnlyDictionary<string, string> interfaceExternalIds, string? qosOwner)
    {
        if (IsTunerMarked(interfaceExternalIds))
        {
            return Tuner;
        }
        if (rate == 0 && burst == 0)
        {
            return null;
        }
        if (interfaceExternalIds.ContainsKey("vm-id"))
        {
            return Libvirt;
        }
        return qosOwner is { } q && q != Tuner ? q : Unknown;
    }

    public static bool IsTunerMarked(IReadOnlyDictionary<string, string> externalIds) =>
        externalIds.TryGetValue(OwnerKey, out var owner) && owner == Tuner;

    /// <summary>The marks for a row written for <paramref name="instanceUuid"/> (and, on QoS/Queue rows, its port).</summary>
    public static Dictionary<string, string> Marks(string instanceUuid, string? port = null)
    {
        var marks = new Dictionary<string, string>(StringComparer.Ordinal) { [OwnerKey] = Tuner, [InstanceKey] = instanceUuid };
        if (port is not null)
        {
            marks[PortKey] = port;
        }
        return marks;
    }

    /// <summary>A copy of <paramref name="externalIds"/> without the tuner's marks.</summary>
    public static Dictionary<string, string> WithoutMarks(IReadOnlyDictionary<string, string> externalIds) =>
        externalIds.Where(p => p.Key is not (OwnerKey or InstanceKey or PortKey)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
