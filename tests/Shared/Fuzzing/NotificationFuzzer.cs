using System.Text;
using System.Text.Json.Nodes;

namespace KvmNovaTuner.Tests.Fuzzing;

/// <summary>
/// A seeded, deterministic mutation fuzzer of Nova's own notification samples (the oslo wire envelopes in
/// tests/data/nova-notifications/all.jsonl): the same seed and count give the same bytes on every machine.
/// No mutation contains a line feed or a carriage return, so <see cref="JsonLines"/> maps line i to mutation i.
/// </summary>
public static class NotificationFuzzer
{
    /// <summary>The seed the tests use unless they say otherwise.</summary>
    public const int DefaultSeed = 14;

    /// <summary>A huge string is longer than this (the decoder's message size limit, 1 MiB).</summary>
    public const int HugeStringBytes = 1 << 20;

    /// <summary>Deeply nested values are at least this deep (the decoder allows 64 levels).</summary>
    public const int DeepNesting = 65;

    /// <summary>The uuid the bad-uuid mutation writes where the instance uuid belongs.</summary>
    public const string HostileUuid = "not-a-uuid; rm -rf /";

    private static readonly Lazy<byte[][]> LazySamples = new(LoadSamples);

    /// <summary>Nova's samples as wire envelopes, one UTF-8 body each, in file-name order.</summary>
    public static IReadOnlyList<byte[]> Samples => LazySamples.Value;

    /// <summary>The mutated bodies only.</summary>
    public static IEnumerable<byte[]> Mutations(int seed, int count) => Generate(seed, count).Select(m => m.Body);

    /// <summary>The mutated bodies with what was done to each and whether it must still decode.</summary>
    public static IEnumerable<FuzzedMessage> Generate(int seed, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var sampleIndex = random.Next(Samples.Count);
            var kind = PickKind(random);
            yield return Mutate(kind, Samples[sampleIndex], sampleIndex, i, random);
        }
    }

    /// <summary>The mutations as one JSON-lines document (line feed after each), as fed to <c>decode</c>.</summary>
    public static byte[] JsonLines(IEnumerable<FuzzedMessage> messages)
    {
        using var stream = new MemoryStream();
        foreach (var m in messages)
        {
            stream.Write(m.Body);
            stream.WriteByte((byte)'\n');
        }
        return stream.ToArray();
    }

    private static readonly (MutationKind Kind, int Weight)[] Weights =
    [
        (MutationKind.None, 10),
        (MutationKind.Compact, 3),
        (MutationKind.EscapedControlInName, 3),
        (MutationKind.ByteFlip, 12),
        (MutationKind.Truncation, 10),
        (MutationKind.InvalidUtf8, 12),
        (MutationKind.RawControlCharacter, 8),
        (MutationKind.DeepNesting, 6),
        (MutationKind.HugeString, 1),
        (MutationKind.NumberForString, 8),
        (MutationKind.HostileUuid, 8),
        (MutationKind.DuplicateKey, 8),
        (MutationKind.TwoMessagesInOneBody, 5),
    ];

    private static MutationKind PickKind(Random random)
    {
        var total = Weights.Sum(w => w.Weight);
        var roll = random.Next(total);
        foreach (var (kind, weight) in Weights)
        {
            if (roll < weight)
            {
                return kind;
            }
            roll -= weight;
        }
        return MutationKind.None;
    }

    private static FuzzedMessage Mutate(MutationKind kind, byte[] sample, int sampleIndex, int index, Random random)
    {
        var (body, expected) = kind switch
        {
            MutationKind.None => (sample, Expectation.Valid),
            MutationKind.Compact => (Envelope(Inner(sample), indented: false), Expectation.Valid),
            MutationKind.EscapedControlInName => (WithInner(sample, m => Data(m)?["display_name"] is not null
                ? Set(m, d => d["display_name"] = "vm\u001b[31m\u0007\u0000name") : null), Expectation.Valid),
            MutationKind.ByteFlip => (ByteFlip(sample, random), Expectation.Unknown),
            MutationKind.Truncation => (sample[..random.Next(LastBrace(sample))], Expectation.Invalid),
            MutationKind.InvalidUtf8 => (InsertInMessage(sample, random, InvalidUtf8[random.Next(InvalidUtf8.Length)]), Expectation.Invalid),
            MutationKind.RawControlCharacter => (InsertInMessage(sample, random, [RawControl[random.Next(RawControl.Length)]]), Expectation.Invalid),
            MutationKind.DeepNesting => (DeeplyNested(sample, DeepNesting + random.Next(2000)), Expectation.Invalid),
            MutationKind.HugeString => (WithInner(sample, m => Set(m, d => d["display_name"] = new string('x', HugeStringBytes + 1 + random.Next(4096)))), Expectation.Invalid),
            MutationKind.NumberForString => (NumberForString(sample, random), Expectation.Invalid),
            MutationKind.HostileUuid => (HostileUuidIn(sample), Expectation.Invalid),
            MutationKind.DuplicateKey => (DuplicateKey(sample, random), Expectation.Invalid),
            _ => (Concat(sample, Samples[random.Next(Samples.Count)]), Expectation.Invalid),
        };
        return new FuzzedMessage(index, sampleIndex, kind, expected, body);
    }

    // Sequences no UTF-8 decoder may accept: a lone continuation byte, a truncated two-byte sequence, an overlong
    // slash, an encoded surrogate, bytes that never occur, a code point above U+10FFFF.
    private static readonly byte[][] InvalidUtf8 =
    [
        [0x80], [0xC3, 0x28], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF], [0xFE], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ];

    // Control characters other than line feed and carriage return (one mutation stays one line).
    private static readonly byte[] RawControl = [0x00, 0x01, 0x07, 0x08, 0x09, 0x0B, 0x0C, 0x1B, 0x1F];

    private static byte[] ByteFlip(byte[] sample, Random random)
    {
        var body = (byte[])sample.Clone();
        var flips = 1 + random.Next(4);
        for (var f = 0; f < flips; f++)
        {
            var at = random.Next(body.Length);
            var flipped = (byte)(body[at] ^ (1 << random.Next(8)));
            body[at] = flipped is (byte)'\n' or (byte)'\r' ? (byte)(flipped ^ 0x80) : flipped;
        }
        return body;
    }

    private static int LastBrace(byte[] sample) => Array.LastIndexOf(sample, (byte)'}');

    /// <summary>Inserts raw bytes somewhere inside the oslo.message string value.</summary>
    private static byte[] InsertInMessage(byte[] sample, Random random, byte[] insert)
    {
        var marker = "\"oslo.message\": \""u8.ToArray();
        var start = IndexOf(sample, marker) + marker.Length;
        var end = Array.LastIndexOf(sample, (byte)'"');
        var at = start + random.Next(Math.Max(1, end - start));
        return [.. sample[..at], .. insert, .. sample[at..]];
    }

    private static byte[] NumberForString(byte[] sample, Random random) => WithInner(sample, m =>
    {
        var uuidField = UuidField(m);
        if (uuidField is not null && random.Next(2) == 0)
        {
            return Set(m, d => d[uuidField] = random.Next(1, int.MaxValue));
        }
        m["event_type"] = random.Next(2) == 0 ? 42 : 1.5e300;
        return m;
    });

    private static byte[] HostileUuidIn(byte[] sample) => WithInner(sample, m =>
    {
        if (UuidField(m) is { } field)
        {
            return Set(m, d => d[field] = HostileUuid);
        }
        m["message_id"] = HostileUuid;
        m["event_type"] = "instance.create.end";
        return m;
    });

    /// <summary>The instance uuid field of an instance payload, or null (flavor payloads have none).</summary>
    private static string? UuidField(JsonObject message)
    {
        var data = Data(message);
        return data is null ? null : data["uuid"] is not null ? "uuid" : data["instance_uuid"] is not null ? "instance_uuid" : null;
    }

    private static byte[] DuplicateKey(byte[] sample, Random random)
    {
        if (random.Next(3) == 0)
        {
            // A second oslo.message in the envelope, holding another event.
            var text = Encoding.UTF8.GetString(sample);
            var other = Inner(Samples[random.Next(Samples.Count)]).ToJsonString();
            return Encoding.UTF8.GetBytes(text[..^1] + ", \"oslo.message\": " + JsonValue.Create(other).ToJsonString() + "}");
        }
        var inner = Inner(sample).ToJsonString();
        var duplicated = "{\"event_type\": \"instance.delete.end\", " + inner[1..];
        return EnvelopeOf(duplicated);
    }

    private static byte[] Concat(byte[] first, byte[] second) => [.. first, (byte)' ', .. second];

    /// <summary>A payload field of nested arrays, written as text (JsonNode cannot hold it deeper than 64).</summary>
    private static byte[] DeeplyNested(byte[] sample, int depth)
    {
        const string Placeholder = "\"@nested@\"";
        var message = Inner(sample);
        message["payload"]!["nested"] = "@nested@";
        var inner = message.ToJsonString().Replace(Placeholder, new string('[', depth) + "1" + new string(']', depth), StringComparison.Ordinal);
        return EnvelopeOf(inner);
    }

    private static byte[] EnvelopeOf(string inner) =>
        Encoding.UTF8.GetBytes("{\"oslo.version\": \"2.0\", \"oslo.message\": " + JsonValue.Create(inner).ToJsonString() + "}");

    private static JsonObject? Data(JsonObject message) => message["payload"]?["nova_object.data"] as JsonObject;

    /// <summary>Applies <paramref name="change"/> to the payload data; null when the message has none.</summary>
    private static JsonObject? Set(JsonObject message, Action<JsonObject> change)
    {
        if (Data(message) is not { } data)
        {
            return null;
        }
        change(data);
        return message;
    }

    private static byte[] WithInner(byte[] sample, Func<JsonObject, JsonObject?> change) =>
        change(Inner(sample)) is { } changed ? Envelope(changed, indented: false) : sample;

    private static JsonObject Inner(byte[] sample)
    {
        var envelope = JsonNode.Parse(sample)!.AsObject();
        return JsonNode.Parse(envelope["oslo.message"]!.GetValue<string>())!.AsObject();
    }

    private static byte[] Envelope(JsonObject inner, bool indented)
    {
        var envelope = new JsonObject
        {
            ["oslo.version"] = "2.0",
            ["oslo.message"] = inner.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = indented }),
        };
        return Encoding.UTF8.GetBytes(envelope.ToJsonString());
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);

    private static byte[][] LoadSamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "data", "nova-notifications", "all.jsonl");
            if (File.Exists(path))
            {
                return File.ReadAllLines(path, Encoding.UTF8).Where(l => l.Length > 0).Select(Encoding.UTF8.GetBytes).ToArray();
            }
        }
        throw new FileNotFoundException("tests/data/nova-notifications/all.jsonl not found above " + AppContext.BaseDirectory);
    }
}
