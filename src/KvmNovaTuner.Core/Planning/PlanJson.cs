using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Core.Planning;

/// <summary>Writes and reads the public JSON form of a plan (docs/plan-format.md): snake_case keys, string settings, lower-case enums.</summary>
public static class PlanJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(Plan plan, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions with { Indented = indented }))
        {
            writer.WriteStartObject();
            writer.WriteString("instance_uuid", plan.InstanceUuid);
            writer.WriteString("event_type", plan.EventType);
            writer.WriteString("host", plan.Host);
            writer.WriteStartArray("actions");
            foreach (var action in plan.Actions)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", action.Kind);
                writer.WriteString("target", action.Target);
                writer.WriteStartObject("settings");
                foreach (var (name, value) in action.Settings)
                {
                    writer.WriteString(name, value);
                }
                writer.WriteEndObject();
                writer.WriteString("when", Timing(action.When));
                writer.WriteString("reason", action.Reason);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("diagnostics");
            foreach (var diagnostic in plan.Diagnostics)
            {
                writer.WriteStartObject();
                writer.WriteString("severity", Severity(diagnostic.Severity));
                writer.WriteString("key", diagnostic.Key);
                writer.WriteString("message", diagnostic.Message);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads a plan written by <see cref="Serialize"/>; throws <see cref="JsonException"/> on another shape.</summary>
    public static Plan Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var actions = root.GetProperty("actions").EnumerateArray().Select(a => new PlanAction(
            a.GetProperty("kind").GetString()!,
            a.GetProperty("target").GetString()!,
            a.GetProperty("settings").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            ParseTiming(a.GetProperty("when").GetString()),
            a.GetProperty("reason").GetString()!)).ToList();
        var diagnostics = root.GetProperty("diagnostics").EnumerateArray().Select(d => new Diagnostic(
            ParseSeverity(d.GetProperty("severity").GetString()),
            d.GetProperty("key").GetString()!,
            d.GetProperty("message").GetString()!)).ToList();
        return new Plan(Text(root, "instance_uuid"), Text(root, "event_type"), Text(root, "host"), actions, diagnostics);
    }

    public static string Timing(ActionTiming when) => when switch
    {
        ActionTiming.Live => "live",
        ActionTiming.NextBoot => "next-boot",
        _ => "host",
    };

    public static string Severity(DiagnosticSeverity severity) => severity.ToString().ToLowerInvariant();

    private static ActionTiming ParseTiming(string? text) => text switch
    {
        "live" => ActionTiming.Live,
        "next-boot" => ActionTiming.NextBoot,
        "host" => ActionTiming.Host,
        _ => throw new JsonException($"unknown 'when' value '{text}'"),
    };

    private static DiagnosticSeverity ParseSeverity(string? text) =>
        Enum.TryParse<DiagnosticSeverity>(text, ignoreCase: true, out var severity) ? severity : throw new JsonException($"unknown severity '{text}'");

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
