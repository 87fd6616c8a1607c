using System.Text.Json;
using KvmNovaTuner.Core.Events;

namespace KvmNovaTuner.Core.Decoding;

/// <summary>
/// Reads a legacy (unversioned) payload: a flat object (<c>instance_id</c>, <c>host</c>, <c>instance_type</c>,
/// <c>vcpus</c>, <c>memory_mb</c>, <c>fixed_ips</c>, ...). Legacy events carry no extra specs, so the flavor's
/// <see cref="FlavorInfo.ExtraSpecs"/> is always null.
/// </summary>
internal static class LegacyPayloadDecoder
{
    public static InstanceEvent Decode(InstanceEvent header, JsonElement payload)
    {
        var instanceUuid = JsonFields.Uuid(payload, "instance_id") ?? JsonFields.Uuid(payload, "instance_uuid");
        if (header.EventType.StartsWith("instance.", StringComparison.Ordinal))
        {
            throw new PayloadShapeException("a versioned instance event whose payload is not a nova_object");
        }
        if (header.EventType.StartsWith("compute.instance.", StringComparison.Ordinal) && string.IsNullOrEmpty(instanceUuid))
        {
            throw new PayloadShapeException("an instance notification without 'instance_id'");
        }
        return header with
        {
            Host = HostRule.Resolve(JsonFields.String(payload, "host"), header.PublisherId),
            InstanceUuid = instanceUuid,
            DisplayName = JsonFields.String(payload, "display_name"),
            TenantId = JsonFields.String(payload, "tenant_id"),
            State = JsonFields.String(payload, "state"),
            TaskState = JsonFields.String(payload, "new_task_state") ?? JsonFields.String(payload, "state_description"),
            OldState = JsonFields.String(payload, "old_state"),
            OldTaskState = JsonFields.String(payload, "old_task_state"),
            Flavor = ReadFlavor(payload, "instance_type", "instance_flavor_id", "vcpus", "memory_mb"),
            NewFlavor = ReadFlavor(payload, "new_instance_type", "new_instance_type_id", null, null),
            Ports = ReadPorts(payload),
            SnapshotImageId = JsonFields.String(payload, "snapshot_image_id"),
            Fault = IsError(header) ? Fault(payload) : null,
        };
    }

    private static FlavorInfo? ReadFlavor(JsonElement payload, string nameKey, string idKey, string? vcpusKey, string? memoryKey)
    {
        var name = JsonFields.String(payload, nameKey);
        var id = JsonFields.String(payload, idKey);
        var vcpus = vcpusKey is null ? null : JsonFields.Int(payload, vcpusKey);
        var memory = memoryKey is null ? null : JsonFields.Int(payload, memoryKey);
        return name is null && id is null && vcpus is null && memory is null ? null : new FlavorInfo(name, id, vcpus, memory, null);
    }

    private static List<PortInfo> ReadPorts(JsonElement payload)
    {
        var ports = new List<PortInfo>();
        foreach (var ip in JsonFields.Array(payload, "fixed_ips"))
        {
            if (ip.ValueKind != JsonValueKind.Object)
            {
                throw new PayloadShapeException($"a 'fixed_ips' entry is a {JsonFields.Kind(ip)}, expected an object");
            }
            ports.Add(new PortInfo(null, null, JsonFields.String(ip, "vif_mac")) { Address = JsonFields.String(ip, "address") });
        }
        return ports;
    }

    private static bool IsError(InstanceEvent header) =>
        header.Priority == "ERROR" || header.EventType.EndsWith(".error", StringComparison.Ordinal) || header.EventType == "compute.exception";

    private static string? Fault(JsonElement payload)
    {
        foreach (var key in (string[])["fault", "message", "exception"])
        {
            if (JsonFields.Get(payload, key) is { } v)
            {
                return v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();
            }
        }
        return null;
    }
}
