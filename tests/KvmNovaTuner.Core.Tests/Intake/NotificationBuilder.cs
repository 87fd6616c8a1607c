using System.Text.Json;
using System.Text.Json.Nodes;

namespace KvmNovaTuner.Core.Tests.Intake;

/// <summary>Builds oslo envelopes around inner messages, the way oslo.messaging puts them on the wire.</summary>
public static class NotificationBuilder
{
    public static string Envelope(string eventType, JsonObject payload, string publisherId, string priority = "INFO", string? messageId = null)
    {
        var inner = new JsonObject
        {
            ["message_id"] = messageId ?? Guid.NewGuid().ToString(),
            ["publisher_id"] = publisherId,
            ["event_type"] = eventType,
            ["priority"] = priority,
            ["payload"] = payload,
            ["timestamp"] = "2026-01-15 10:00:00.123456",
            ["_unique_id"] = "e3b0c44298fc1c149afbf4c8996fb924",
            ["_context_request_id"] = "req-1",
        };
        return Wrap(inner.ToJsonString());
    }

    public static string Wrap(string innerJson) =>
        new JsonObject { ["oslo.version"] = "2.0", ["oslo.message"] = innerJson }.ToJsonString();

    public static JsonObject Versioned(string name, JsonObject data) => new()
    {
        ["nova_object.name"] = name,
        ["nova_object.namespace"] = "nova",
        ["nova_object.version"] = "1.0",
        ["nova_object.data"] = data,
    };

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static string Serialize(JsonNode node) => node.ToJsonString(new JsonSerializerOptions());
}
