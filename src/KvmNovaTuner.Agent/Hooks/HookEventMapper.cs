using KvmNovaTuner.Core.Events;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// Turns a hook call into the pipeline's <see cref="InstanceEvent"/>: event type <c>libvirt.hook.&lt;operation&gt;</c>,
/// the hook's deterministic message id, this host, and the flavor (with extra specs) from the domain's Nova metadata,
/// so specs resolve from the event itself and the pipeline never needs the Nova API for a hook call.
/// </summary>
public static class HookEventMapper
{
    public const string EventTypePrefix = "libvirt.hook.";

    /// <summary>The event type of a hook operation (<c>libvirt.hook.started</c>, ...).</summary>
    public static string EventType(string operation) => EventTypePrefix + operation;

    public static InstanceEvent ToInstanceEvent(HookEvent hook, string thisHost) => new()
    {
        Format = NotificationFormat.LibvirtHook,
        EventType = EventType(hook.Operation),
        MessageId = hook.MessageId,
        PublisherId = $"libvirt-hook.{thisHost}",
        Priority = "INFO",
        Timestamp = hook.Timestamp,
        Host = thisHost,
        InstanceUuid = hook.InstanceUuid,
        DisplayName = hook.Domain,
        State = hook.Operation switch
        {
            "started" => "running",
            "stopped" or "release" => "stopped",
            _ => null,
        },
        Flavor = hook.Flavor is { } f ? new FlavorInfo(f.Name, f.Id, f.Vcpus, f.MemoryMb, f.ExtraSpecs) : null,
    };
}
