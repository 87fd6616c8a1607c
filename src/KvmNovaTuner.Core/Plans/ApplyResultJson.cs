using System.Text.Encodings.Web;
using System.Text.Json;

namespace KvmNovaTuner.Core.Plans;

/// <summary>
/// The public `apply --json` shape: <c>{"instance_uuid", "results": [{"kind", "target", "status", "before",
/// "after", "message"}]}</c> (with <c>"refused"</c>, the reason, between them when the plan was refused whole), statuses <c>applied</c>, <c>unchanged</c>, <c>pending-restart</c>, <c>skipped</c>, <c>failed</c>.
/// </summary>
public static class ApplyResultJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(ApplyResult result)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, Options))
        {
            Write(writer, result);
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes one result object (also used inside the reconcile report).</summary>
    public static void Write(Utf8JsonWriter writer, ApplyResult result)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(result);
        writer.WriteStartObject();
        writer.WriteString("instance_uuid", result.InstanceUuid);
        if (result.Refusal is not null)
        {
            writer.WriteString("refused", result.Refusal);
        }
        writer.WriteStartArray("results");
        foreach (var r in result.Results)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", r.Kind);
            writer.WriteString("target", r.Target);
            writer.WriteString("status", StatusText(r.Status));
            WriteValues(writer, "before", r.Before);
            WriteValues(writer, "after", r.After);
            writer.WriteString("message", r.Message);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static string StatusText(ActionStatus status) => status switch
    {
        ActionStatus.Applied => "applied",
        ActionStatus.Unchanged => "unchanged",
        ActionStatus.PendingRestart => "pending-restart",
        ActionStatus.Skipped => "skipped",
        _ => "failed",
    };

    private static void WriteValues(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string>? values)
    {
        if (values is null)
        {
            writer.WriteNull(name);
            return;
        }
        writer.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            writer.WriteString(key, value);
        }
        writer.WriteEndObject();
    }
}
