using KvmNovaTuner.Ovs.Protocol;

namespace KvmNovaTuner.Ovs.Qos;

/// <summary>How the OVS QoS executor behaves on this host.</summary>
public sealed record OvsQosOptions
{
    /// <summary>
    /// True when the operator declares that the tuner owns bandwidth on this host: rows marked by Neutron or
    /// libvirt, or untagged, are taken over instead of reported as conflicts. Default false.
    /// </summary>
    public bool TunerOwnsBandwidth { get; init; }

    /// <summary>Start the drift monitor that re-applies when someone changes or clears the tuner's rows. Default true.</summary>
    public bool RepairDrift { get; init; } = true;

    /// <summary>How often one port's transaction is retried after a concurrent writer changed its rows.</summary>
    public int MaxAttempts { get; init; } = 3;

    public string Database { get; init; } = OvsdbClient.OpenVSwitchDatabase;

    public OvsdbClientOptions Client { get; init; } = new();

    public void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentException("MaxAttempts must be at least 1", nameof(MaxAttempts));
        }
        Client.Validate();
    }
}
