using System.Text;
using System.Text.Json;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Text;

namespace KvmNovaTuner.Core.Decoding;

/// <summary>
/// Decodes one Nova notification — an oslo.messaging 2.0 envelope (<c>{"oslo.version":"2.0","oslo.message":"..."}</c>)
/// or a bare inner message object — of the versioned or legacy format into an <see cref="InstanceEvent"/>.
/// Pure; never throws for bad input: every problem is a <see cref="DecodeError"/>.
/// </summary>
public static class NotificationDecoder
{
    /// <summary>The largest body decoded (1 MiB): Nova's notifications are a few KiB; anything larger is refused unread.</summary>
    public const int MaxMessageBytes = 1 << 20;

    private const string EnvelopeMessageKey = "oslo.message";
    private const string EnvelopeVersionKey = "oslo.version";
    private const string SupportedVersion = "2.0";
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    public static DecodeResult Decode(string body) => Decode(Encoding.UTF8.GetBytes(body));

    public static DecodeResult Decode(ReadOnlyMemory<byte> utf8Body)
    {
        if (utf8Body.Length > MaxMessageBytes)
        {
            return DecodeResult.Failure(DecodeErrorKind.TooLarge, $"the message is {utf8Body.Length} bytes, more than the {MaxMessageBytes} a notification may have");
        }
        if (Utf8Text.FirstInvalidByte(utf8Body.Span) is { } at)
        {
            return DecodeResult.Failure(DecodeErrorKind.InvalidText, $"not UTF-8: an invalid byte sequence at byte {at}");
        }
        byte[]? inner = null;
        try
        {
            var envelope = EnvelopeScanner.Scan(utf8Body.Span);
            if (envelope.Message is { } message)
            {
                inner = message.Buffer;
                return envelope.Version == SupportedVersion
                    ? DecodeInner(message.Buffer.AsMemory(0, message.Length))
                    : DecodeResult.Failure(DecodeErrorKind.WrongEnvelope, $"'{EnvelopeVersionKey}' is {(envelope.Version is null ? "missing" : $"'{envelope.Version}'")}, expected '{SupportedVersion}'");
            }
            return DecodeDocument(utf8Body);
        }
        catch (JsonException e)
        {
            return DecodeResult.Failure(DecodeErrorKind.BadJson, OneLine(e.Message));
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.CopyString: an escape in the oslo.message string that is no UTF-16 text (a lone surrogate).
            return DecodeResult.Failure(DecodeErrorKind.InvalidText, $"'{EnvelopeMessageKey}' holds an escape that is not text (a lone surrogate \\uD800-\\uDFFF)");
        }
        finally
        {
            if (inner is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(inner);
            }
        }
    }

    /// <summary>The general path: a bare message, or anything that is not an envelope with a string oslo.message.</summary>
    private static DecodeResult DecodeDocument(ReadOnlyMemory<byte> utf8Body)
    {
        using var outer = JsonDocument.Parse(utf8Body, Options);
        var root = outer.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return DecodeResult.Failure(DecodeErrorKind.WrongEnvelope, $"the message is a JSON {JsonFields.Kind(root)}, expected an object");
        }
        if (root.TryGetProperty(EnvelopeMessageKey, out var inner))
        {
            return DecodeResult.Failure(DecodeErrorKind.WrongEnvelope, $"'{EnvelopeMessageKey}' is a {JsonFields.Kind(inner)}, expected a JSON string");
        }
        if (root.TryGetProperty("event_type", out _))
        {
            return DecodeMessage(root);
        }
        return DecodeResult.Failure(DecodeErrorKind.WrongEnvelope, "neither an oslo envelope (no 'oslo.message') nor a notification (no 'event_type')");
    }

    private static DecodeResult DecodeInner(ReadOnlyMemory<byte> innerUtf8)
    {
        try
        {
            using var message = JsonDocument.Parse(innerUtf8, Options);
            if (message.RootElement.ValueKind != JsonValueKind.Object)
            {
                return DecodeResult.Failure(DecodeErrorKind.WrongEnvelope, $"'{EnvelopeMessageKey}' holds a JSON {JsonFields.Kind(message.RootElement)}, expected an object");
            }
            return DecodeMessage(message.RootElement);
        }
        catch (JsonException e)
        {
            return DecodeResult.Failure(DecodeErrorKind.BadJson, $"in '{EnvelopeMessageKey}': {OneLine(e.Message)}");
        }
    }

    private static DecodeResult DecodeMessage(JsonElement message)
    {
        try
        {
            var eventType = JsonFields.StrictString(message, "event_type");
            if (string.IsNullOrEmpty(eventType))
            {
                return DecodeResult.Failure(DecodeErrorKind.WrongEnvelope, "the message has no 'event_type'");
            }
            // oslo always sets message_id; a bare sample without one gets a stable id derived from its content,
            // so that dedupe still works when the same text is fed twice.
            var messageId = JsonFields.StrictString(message, "message_id");
            if (string.IsNullOrEmpty(messageId))
            {
                messageId = ContentId(message);
            }
            if (!message.TryGetProperty("payload", out var payload) || payload.ValueKind != JsonValueKind.Object)
            {
                var kind = message.TryGetProperty("payload", out var p) ? JsonFields.Kind(p) : "missing";
                return DecodeResult.Failure(DecodeErrorKind.UnknownPayloadShape, $"'{eventType}' payload is {kind}, expected an object");
            }
            var header = new InstanceEvent
            {
                Format = VersionedPayloadDecoder.IsVersioned(payload) ? NotificationFormat.Versioned : NotificationFormat.Legacy,
                EventType = eventType,
                MessageId = messageId,
                PublisherId = JsonFields.String(message, "publisher_id"),
                Priority = JsonFields.String(message, "priority")?.ToUpperInvariant(),
                Timestamp = JsonFields.String(message, "timestamp"),
            };
            var decoded = header.Format == NotificationFormat.Versioned
                ? VersionedPayloadDecoder.Decode(header, payload)
                : LegacyPayloadDecoder.Decode(header, payload);
            return DecodeResult.Success(decoded);
        }
        catch (PayloadShapeException e)
        {
            var eventType = message.TryGetProperty("event_type", out var t) && t.ValueKind == JsonValueKind.String && JsonFields.TryText(t, out var text) ? text : "notification";
            return DecodeResult.Failure(DecodeErrorKind.UnknownPayloadShape, $"'{eventType}': {e.Message}");
        }
    }

    private static string ContentId(JsonElement message)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(message.GetRawText()));
        return "sha256-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
