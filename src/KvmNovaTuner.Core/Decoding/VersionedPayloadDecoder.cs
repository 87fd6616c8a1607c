using System.Text.Json;
using KvmNovaTuner.Core.Events;

namespace KvmNovaTuner.Core.Decoding;

/// <summary>Reads a versioned payload (<c>nova_object.*</c> wrappers, nested the same way) into the event.</summary>
internal static class VersionedPayloadDecoder
{
    private const string DataKey = "nova_object.data";
    private const string NameKey = "nova_object.name";

    public static bool IsVersioned(JsonElement payload) => payload.TryGetProperty(DataKey, out _);

    public static InstanceEvent Decode(InstanceEvent header, JsonElement payload)
    {
        var data = Unwrap(payload, "payload");
        var objectName = JsonFields.String(payload, NameKey) ?? "";
        var isFlavorPayload = objectName == "FlavorPayload" || header.EventType.StartsWith("flavor.", StringComparison.Ordinal);
        var isInstancePayload = objectName.StartsWith("Instance", StringComparison.Ordinal);
        var instanceUuid = isInstancePayload ? JsonFields.Uuid(data, "uuid") : JsonFields.Uuid(data, "instance_uuid");
        if (header.EventType.StartsWith("instance.", StringComparison.Ordinal) && string.IsNullOrEmpty(instanceUuid))
        {
            throw new PayloadShapeException("an instance notification without an instance 'uuid'");
        }
        var stateUpdate = JsonFields.Object(data, "state_update") is { } su ? Unwrap(su, "state_update") : (JsonElement?)null;
        var fault = objectName == "ExceptionPayload" ? data : JsonFields.Object(data, "fault") is { } f ? Unwrap(f, "fault") : (JsonElement?)null;
        return header with
        {
            Host = HostRule.Resolve(isFlavorPayload ? null : JsonFields.String(data, "host"), header.PublisherId),
            InstanceUuid = instanceUuid,
            DisplayName = JsonFields.String(data, "display_name"),
            TenantId = JsonFields.String(data, "tenant_id") ?? JsonFields.String(data, "project_id"),
            State = JsonFields.String(data, "state") ?? (stateUpdate is { } s1 ? JsonFields.String(s1, "state") : null),
            TaskState = JsonFields.String(data, "task_state") ?? (stateUpdate is { } s2 ? JsonFields.String(s2, "new_task_state") : null),
            OldState = stateUpdate is { } s3 ? JsonFields.String(s3, "old_state") : null,
            OldTaskState = stateUpdate is { } s4 ? JsonFields.String(s4, "old_task_state") : null,
            Flavor = isFlavorPayload ? ReadFlavor(data) : ReadFlavorField(data, "flavor"),
            NewFlavor = ReadFlavorField(data, "new_flavor"),
            Ports = ReadPorts(data),
            SnapshotImageId = JsonFields.String(data, "snapshot_image_id"),
            Fault = fault is { } fd ? FaultText(fd) : null,
        };
    }

    private static JsonElement Unwrap(JsonElement wrapper, string field)
    {
        if (!wrapper.TryGetProperty(DataKey, out var data))
        {
            return wrapper;
        }
        return data.ValueKind == JsonValueKind.Object
            ? data
            : throw new PayloadShapeException($"'{field}.{DataKey}' is a {JsonFields.Kind(data)}, expected an object");
    }

    private static FlavorInfo? ReadFlavorField(JsonElement data, string field) =>
        JsonFields.Object(data, field) is { } wrapper ? ReadFlavor(Unwrap(wrapper, field)) : null;

    private static FlavorInfo ReadFlavor(JsonElement flavor) => new(
        JsonFields.String(flavor, "name"),
        JsonFields.String(flavor, "flavorid"),
        JsonFields.Int(flavor, "vcpus"),
        JsonFields.Int(flavor, "memory_mb"),
        JsonFields.StringMap(flavor, "extra_specs"));

    private static List<PortInfo> ReadPorts(JsonElement data)
    {
        var ports = new List<PortInfo>();
        foreach (var entry in JsonFields.Array(data, "ip_addresses"))
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw new PayloadShapeException($"an 'ip_addresses' entry is a {JsonFields.Kind(entry)}, expected an object");
            }
            var ip = Unwrap(entry, "ip_addresses[]");
            var port = new PortInfo(JsonFields.String(ip, "device_name"), JsonFields.String(ip, "port_uuid"), JsonFields.String(ip, "mac"))
            {
                Address = JsonFields.String(ip, "address"),
            };
            if (!ports.Exists(p => p.PortUuid == port.PortUuid && p.DeviceName == port.DeviceName))
            {
                ports.Add(port);
            }
        }
        return ports;
    }

    private static string FaultText(JsonElement fault)
    {
        var exception = JsonFields.String(fault, "exception");
        var message = JsonFields.String(fault, "exception_message");
        return (exception, message) switch
        {
            (null, null) => "fault",
            (_, null) => exception!,
            (null, _) => message!,
            _ => $"{exception}: {message}",
        };
    }
}
