namespace KvmNovaTuner.Core.Events;

/// <summary>
/// One Nova notification, decoded from either the versioned or the legacy format,
/// reduced to what the tuner needs. Produced by the decode step; consumed by filter and plan.
/// </summary>
public sealed record InstanceEvent
{
    public required NotificationFormat Format { get; init; }
    public required string EventType { get; init; }
    public required string MessageId { get; init; }
    public string? PublisherId { get; init; }
    /// <summary>Upper-case oslo priority (INFO, ERROR, ...).</summary>
    public string? Priority { get; init; }
    /// <summary>The oslo timestamp as sent (UTC, no zone).</summary>
    public string? Timestamp { get; init; }
    /// <summary>The compute host the event is for: payload host first, else a nova-compute publisher's host.</summary>
    public string? Host { get; init; }
    public string? InstanceUuid { get; init; }
    public string? DisplayName { get; init; }
    public string? TenantId { get; init; }
    public string? State { get; init; }
    public string? TaskState { get; init; }
    public string? OldState { get; init; }
    public string? OldTaskState { get; init; }
    public FlavorInfo? Flavor { get; init; }
    /// <summary>The target flavor of a resize (<c>instance.resize_prep.*</c>).</summary>
    public FlavorInfo? NewFlavor { get; init; }
    public IReadOnlyList<PortInfo> Ports { get; init; } = [];
    public string? SnapshotImageId { get; init; }
    public string? Fault { get; init; }
}

/// <summary>The wire format a notification arrived in.</summary>
public enum NotificationFormat
{
    Versioned,
    Legacy,
    /// <summary>Not a notification: a libvirt qemu hook call handed over by <c>kvm-nova-tuner hook</c> (event type <c>libvirt.hook.*</c>).</summary>
    LibvirtHook,
}

/// <summary>The instance's own copy of its flavor. <see cref="ExtraSpecs"/> is null when Nova sent none (legacy events).</summary>
public sealed record FlavorInfo(
    string? Name,
    string? FlavorId,
    int? Vcpus,
    int? MemoryMb,
    IReadOnlyDictionary<string, string>? ExtraSpecs);

/// <summary>One network port of the instance: the tap device name on the host and Neutron's port id.</summary>
public sealed record PortInfo(string? DeviceName, string? PortUuid, string? MacAddress)
{
    /// <summary>The first IP address Nova reported for this port (payload <c>ip_addresses[].address</c>).</summary>
    public string? Address { get; init; }
}
