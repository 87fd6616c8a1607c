using System.Buffers;
using System.Text.Json;

namespace KvmNovaTuner.Core.Decoding;

/// <summary>
/// One forward pass over an oslo envelope: validates the outer JSON and unescapes the <c>oslo.message</c> string
/// straight into a pooled UTF-8 buffer (no UTF-16 string in between). The caller returns the buffer to the pool.
/// </summary>
internal static class EnvelopeScanner
{
    internal readonly record struct InnerMessage(byte[] Buffer, int Length);

    internal readonly record struct Envelope(string? Version, InnerMessage? Message);

    /// <summary>Throws <see cref="JsonException"/> for invalid JSON; a non-object or a non-string oslo.message yields no message.</summary>
    public static Envelope Scan(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return default;
        }
        string? version = null;
        InnerMessage? message = null;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isMessage = reader.ValueTextEquals("oslo.message"u8);
                var isVersion = !isMessage && reader.ValueTextEquals("oslo.version"u8);
                reader.Read();
                if ((isMessage && message is not null) || (isVersion && version is not null))
                {
                    throw new JsonException($"the envelope has '{(isMessage ? "oslo.message" : "oslo.version")}' twice");
                }
                if (isMessage && reader.TokenType == JsonTokenType.String)
                {
                    var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(reader.ValueSpan.Length, 1));
                    message = new InnerMessage(buffer, reader.CopyString(buffer));
                }
                else if (isVersion && reader.TokenType == JsonTokenType.String)
                {
                    version = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
            // Reading to the end validates the rest of the document (trailing garbage is bad JSON).
            while (reader.Read())
            {
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            if (message is { } m)
            {
                ArrayPool<byte>.Shared.Return(m.Buffer);
            }
            throw;
        }
        return new Envelope(version, message);
    }
}
