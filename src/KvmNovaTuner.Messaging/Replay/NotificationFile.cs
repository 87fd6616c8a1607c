using System.Text.Json;

namespace KvmNovaTuner.Messaging.Replay;

/// <summary>One message read from a notification file, with where it came from (1-based line, or 1 for a whole-file document).</summary>
public sealed record FileMessage(int Line, ReadOnlyMemory<byte> Body);

/// <summary>
/// Reads a notification file: either one JSON document (an envelope or a bare message, possibly pretty-printed)
/// or JSON lines (one envelope per line; blank lines skipped). Bad lines are returned as they are, for the
/// decoder to name the problem.
/// </summary>
public static class NotificationFile
{
    public static async Task<IReadOnlyList<FileMessage>> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Split(bytes);
    }

    public static IReadOnlyList<FileMessage> Split(byte[] bytes)
    {
        var lines = Lines(bytes);
        if (lines.Count == 0)
        {
            return [];
        }
        return lines.Count == 1 || IsSingleDocument(bytes, lines) ? [new FileMessage(lines[0].Line, bytes)] : lines;
    }

    private static List<FileMessage> Lines(byte[] bytes)
    {
        var result = new List<FileMessage>();
        var start = 0;
        var lineNumber = 1;
        for (var i = 0; i <= bytes.Length; i++)
        {
            if (i < bytes.Length && bytes[i] != (byte)'\n')
            {
                continue;
            }
            var line = bytes.AsMemory(start, i - start);
            if (!IsBlank(line.Span))
            {
                result.Add(new FileMessage(lineNumber, line));
            }
            start = i + 1;
            lineNumber++;
        }
        return result;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r\f\v"u8).IsEmpty;

    /// <summary>
    /// One document when the whole file is one JSON value, or when no line is a JSON object by itself (a broken
    /// pretty-printed document, reported once). Decided over every line, so a bad first line never hides the rest.
    /// </summary>
    private static bool IsSingleDocument(byte[] bytes, List<FileMessage> lines) =>
        IsJson(bytes) || !lines.Exists(l => l.Body.Span.TrimStart(" \t"u8) is [(byte)'{', ..] && IsJson(l.Body.Span));

    private static bool IsJson(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            while (reader.Read())
            {
            }
            return reader.BytesConsumed > 0 && reader.CurrentDepth == 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
