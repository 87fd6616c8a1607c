using System.CommandLine;
using System.Text.Json;
using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Text;
using KvmNovaTuner.Messaging.Replay;

namespace KvmNovaTuner.Cli.Commands.Intake;

/// <summary>
/// The `decode FILE [--json]` verb: decodes each message in FILE (one envelope or bare message, or JSON lines of
/// envelopes) and prints one line per message. Exit 1 with a one-line error per bad message; 2 when FILE cannot be read.
/// </summary>
public static class DecodeCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A notification file: one oslo envelope (or bare message), or JSON lines of envelopes" };
        var json = new Option<bool>("--json") { Description = "One JSON object per line: format, event_type, message_id, publisher_id, host, instance_uuid, flavor" };
        var command = new Command("decode", "Decode Nova notifications from a file and print one line per message") { file, json };
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var messages = await ReadAsync(r.GetValue(file)!, ct);
            var asJson = r.GetValue(json);
            var exit = ExitCodes.Success;
            foreach (var message in messages)
            {
                var result = NotificationDecoder.Decode(message.Body);
                if (result.Error is { } error)
                {
                    await Console.Error.WriteLineAsync($"error: line {message.Line}: {error}");
                    exit = ExitCodes.Failure;
                    continue;
                }
                Console.Out.WriteLine(asJson ? ToJsonLine(result.Event!) : ToText(result.Event!));
            }
            return exit;
        });
        return command;
    }

    private static async Task<IReadOnlyList<FileMessage>> ReadAsync(FileInfo file, CancellationToken ct)
    {
        try
        {
            var messages = await NotificationFile.ReadAsync(file.FullName, ct);
            return messages.Count > 0 ? messages : throw new UsageException($"{file.Name}: the file holds no message");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"cannot read {file.FullName}: {e.Message}");
        }
    }

    // Every field shown comes from the message: escaped, so control characters never reach the terminal.
    /// <summary>The text line `decode` prints for one event.</summary>
    public static string ToText(InstanceEvent e) =>
        $"{(e.Format == NotificationFormat.Versioned ? "versioned" : "legacy")} {Printable.Escape(e.EventType)} message={Printable.Escape(e.MessageId)} host={Printable.Escape(e.Host ?? "-")} " +
        $"instance={Printable.Escape(e.InstanceUuid ?? "-")} flavor={Printable.Escape(e.Flavor?.Name ?? "-")} extra_specs={(e.Flavor?.ExtraSpecs is { } s ? s.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null")}";

    /// <summary>The public `decode --json` shape (keys fixed by the issue).</summary>
    public static string ToJsonLine(InstanceEvent e)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("format", e.Format == NotificationFormat.Versioned ? "versioned" : "legacy");
            w.WriteString("event_type", e.EventType);
            w.WriteString("message_id", e.MessageId);
            w.WriteString("publisher_id", e.PublisherId);
            w.WriteString("host", e.Host);
            w.WriteString("instance_uuid", e.InstanceUuid);
            if (e.Flavor is { } f)
            {
                w.WriteStartObject("flavor");
                w.WriteString("name", f.Name);
                WriteNumber(w, "vcpus", f.Vcpus);
                WriteNumber(w, "memory_mb", f.MemoryMb);
                if (f.ExtraSpecs is { } specs)
                {
                    w.WriteStartObject("extra_specs");
                    foreach (var (key, value) in specs)
                    {
                        w.WriteString(key, value);
                    }
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNull("extra_specs");
                }
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("flavor");
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNumber(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
