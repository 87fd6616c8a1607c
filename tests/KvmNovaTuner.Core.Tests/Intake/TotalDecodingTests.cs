using System.Text;
using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Messaging.Replay;
using KvmNovaTuner.Tests.Fuzzing;

namespace KvmNovaTuner.Core.Tests.Intake;

/// <summary>Issue 14: every input is decoded or gets a typed, reasoned, short, printable error; nothing throws.</summary>
public sealed class TotalDecodingTests
{
    private static readonly byte[] Sample = Encoding.UTF8.GetBytes(NovaSamples.Line("instance.create.end"));

    private static byte[] Insert(byte[] body, string marker, byte[] insert)
    {
        var at = body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(marker)) + marker.Length;
        return [.. body[..at], .. insert, .. body[at..]];
    }

    private static string Inner(Func<string, string> change)
    {
        var envelope = System.Text.Json.Nodes.JsonNode.Parse(Sample)!;
        var inner = change(envelope["oslo.message"]!.GetValue<string>());
        return NotificationBuilder.Wrap(inner);
    }

    private static DecodeError ErrorOf(byte[] body)
    {
        var result = NotificationDecoder.Decode(body);
        Assert.That(result.Error, Is.Not.Null, "decoded although it should not");
        return result.Error!;
    }

    private static DecodeError ErrorOf(string body) => ErrorOf(Encoding.UTF8.GetBytes(body));

    [TestCase(new byte[] { 0xC3, 0x28 })]
    [TestCase(new byte[] { 0x80 })]
    [TestCase(new byte[] { 0xED, 0xA0, 0x80 })]
    [TestCase(new byte[] { 0xFF })]
    public void Decode_InvalidUtf8InOsloMessage_IsAnInvalidTextErrorNotAnException(byte[] bytes)
    {
        var error = ErrorOf(Insert(Sample, "\"display_name\\\": \\\"", bytes));

        Assert.That(error.Kind, Is.EqualTo(DecodeErrorKind.InvalidText));
        Assert.That(error.Reason, Does.Contain("UTF-8").And.Contain("byte"));
    }

    [Test]
    public void Decode_LoneSurrogateEscapeInAField_IsAnErrorNamingTheField()
    {
        var error = ErrorOf(Inner(m => m.Replace("\"display_name\": \"", "\"display_name\": \"\\udc80", StringComparison.Ordinal)));

        Assert.That(error.Reason, Does.Contain("display_name"));
    }

    [Test]
    public void Decode_LoneSurrogateEscapeInTheEnvelopeString_IsAnError()
    {
        var body = Encoding.UTF8.GetString(Sample).Replace("\\\"display_name\\\": \\\"", "\\\"display_name\\\": \\\"\\udc80", StringComparison.Ordinal);

        Assert.That(ErrorOf(body).Kind, Is.EqualTo(DecodeErrorKind.InvalidText));
    }

    [Test]
    public void Decode_HostileUuid_IsRejectedNamingTheFieldWithTheValueEscaped()
    {
        var error = ErrorOf(Inner(m => m.Replace("\"uuid\": \"178b0921-8f85-4257-88b6-2e743b5a975c\"", "\"uuid\": \"not-a-uuid; rm -rf /\\u001b[2J\"", StringComparison.Ordinal)));

        Assert.That(error.Reason, Does.Contain("uuid").And.Contain("not a uuid").And.Contain("not-a-uuid; rm -rf /\\u001b[2J"));
        Assert.That(error.ToString(), Does.Not.Contain("\u001b"));
    }

    [Test]
    public void Decode_NumberForEventType_IsRejected()
    {
        var error = ErrorOf(Inner(m => m.Replace("\"event_type\": \"instance.create.end\"", "\"event_type\": 42", StringComparison.Ordinal)));

        Assert.That(error.Reason, Does.Contain("event_type").And.Contain("number"));
    }

    [Test]
    public void Decode_NumberForInstanceUuid_IsRejected()
    {
        var error = ErrorOf(Inner(m => m.Replace("\"uuid\": \"178b0921-8f85-4257-88b6-2e743b5a975c\"", "\"uuid\": 7", StringComparison.Ordinal)));

        Assert.That(error.Reason, Does.Contain("uuid"));
    }

    [Test]
    public void Decode_DuplicateEventType_IsRejectedNamingTheKey()
    {
        var error = ErrorOf(Inner(m => "{\"event_type\": \"instance.delete.end\", " + m[1..]));

        Assert.That(error.Kind, Is.EqualTo(DecodeErrorKind.BadJson));
        Assert.That(error.Reason, Does.Contain("event_type"));
    }

    [Test]
    public void Decode_TwoOsloMessages_IsRejected()
    {
        var text = Encoding.UTF8.GetString(Sample);
        var error = ErrorOf(text[..^1] + ", \"oslo.message\": \"{}\"}");

        Assert.That(error.Reason, Does.Contain("oslo.message"));
    }

    [Test]
    public void Decode_BodyOverTheSizeLimit_IsTooLargeAndDoesNotEchoIt()
    {
        var huge = Inner(m => m.Replace("\"display_name\": \"", "\"display_name\": \"" + new string('x', NotificationDecoder.MaxMessageBytes), StringComparison.Ordinal));
        var error = ErrorOf(huge);

        Assert.That(error.Kind, Is.EqualTo(DecodeErrorKind.TooLarge));
        Assert.That(error.ToString(), Has.Length.LessThanOrEqualTo(250));
    }

    [Test]
    public void Decode_DeepNesting_IsBadJsonNamingTheDepth()
    {
        var deep = Inner(m => m.Replace("\"payload\": {", "\"payload\": {\"n\": " + new string('[', 5000) + new string(']', 5000) + ", ", StringComparison.Ordinal));

        Assert.That(ErrorOf(deep).Reason, Does.Contain("depth"));
    }

    [Test]
    public void Decode_ControlCharactersInAReason_AreEscaped()
    {
        var error = ErrorOf("{\"event_type\":\"instance.\\u001b]0;pwned\\u0007.end\",\"message_id\":\"m\",\"payload\":7}");

        Assert.That(error.ToString(), Does.Not.Contain("\u001b").And.Not.Contain("\u0007").And.Contain("\\u001b"));
    }

    [Test]
    public void Decode_HugeEventTypeInAReason_IsCutToOneShortLine()
    {
        var error = ErrorOf("{\"event_type\":\"" + new string('e', 100_000) + "\",\"message_id\":\"m\",\"payload\":7}");

        Assert.That(error.ToString(), Has.Length.LessThanOrEqualTo(250));
    }

    [Test]
    public void Split_BadFirstLine_StillReadsTheGoodLinesAfterIt()
    {
        var lines = NovaSamples.AllLines;
        var text = "{bad\n" + lines[0] + "\n" + lines[1] + "\n";

        var messages = NotificationFile.Split(Encoding.UTF8.GetBytes(text));

        Assert.That(messages.Select(m => m.Line), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public void Split_FirstLineNotUtf8_StillReadsTheGoodLinesAfterIt()
    {
        byte[] bad = [0xFF, 0xFE, (byte)'\n'];
        var messages = NotificationFile.Split([.. bad, .. Sample, (byte)'\n', .. Sample]);

        Assert.That(messages.Select(m => m.Line), Is.EqualTo(new[] { 1, 2, 3 }));
    }

    [Test]
    public void Decode_FuzzedBatch_NeverThrowsAndEveryErrorIsOneShortPrintableLine()
    {
        var outcome = new Dictionary<Expectation, (int Decoded, int Rejected)>();
        foreach (var m in NotificationFuzzer.Generate(NotificationFuzzer.DefaultSeed, 3000))
        {
            DecodeResult result;
            try
            {
                result = NotificationDecoder.Decode(m.Body);
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {m.Index} ({m.Kind}) threw {e.GetType().Name}: {e.Message}");
                return;
            }
            if (result.Error is { } error)
            {
                Assert.That(error.ToString(), Has.Length.LessThanOrEqualTo(250), $"mutation {m.Index} ({m.Kind})");
                Assert.That(error.ToString().Any(char.IsControl), Is.False, $"mutation {m.Index} ({m.Kind})");
            }
            if (m.Expected != Expectation.Unknown)
            {
                Assert.That(result.IsSuccess, Is.EqualTo(m.Expected == Expectation.Valid), $"mutation {m.Index} ({m.Kind}): {result.Error}");
            }
            var (d, r) = outcome.GetValueOrDefault(m.Expected);
            outcome[m.Expected] = result.IsSuccess ? (d + 1, r) : (d, r + 1);
        }
        TestContext.Out.WriteLine(string.Join("; ", outcome.Select(o => $"{o.Key}: {o.Value.Decoded} decoded, {o.Value.Rejected} rejected")));
        Assert.That(outcome[Expectation.Valid].Rejected, Is.Zero);
    }
}

public sealed class DecodeTextLineTests
{
    [Test]
    public void ToText_ControlCharactersFromTheMessage_AreEscaped()
    {
        var body = NovaSamples.Line("instance.create.end").Replace("\\\"host\\\": \\\"compute\\\"", "\\\"host\\\": \\\"comp\\\\u001b[2Jute\\\"", StringComparison.Ordinal);
        var decoded = NotificationDecoder.Decode(body);

        var line = KvmNovaTuner.Cli.Commands.Intake.DecodeCommand.ToText(decoded.Event!);

        Assert.That(line, Does.Contain("host=comp\\u001b[2Jute").And.Not.Contain("\u001b"));
    }
}
