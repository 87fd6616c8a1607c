using System.Text;
using FsCheck;
using FsCheck.Fluent;
using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Messaging.Replay;

namespace KvmNovaTuner.Core.Tests.Intake;

/// <summary>Property tests: over generated input the decoder and the file splitter never throw.</summary>
public sealed class DecoderPropertyTests
{
    private static readonly string[] Samples = NovaSamples.AllLines;

    private static bool Total(byte[] body)
    {
        var result = NotificationDecoder.Decode(body);
        return result.IsSuccess != (result.Error is not null)
            && (result.Error is null || (result.Error.ToString().Length <= 250 && !result.Error.ToString().Any(char.IsControl)));
    }

    [Test]
    public void Decode_AnyBytes_IsAValueOrAShortError()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), Total).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Test]
    public void Decode_AnySampleWithBytesSplicedIn_IsAValueOrAShortError()
    {
        var gen =
            from index in Gen.Choose(0, Samples.Length - 1)
            from at in Gen.Choose(0, 4000)
            from cut in Gen.Choose(0, 8)
            from insert in ArbMap.Default.GeneratorFor<byte[]>()
            select Splice(Encoding.UTF8.GetBytes(Samples[index]), at, cut, insert);
        Prop.ForAll(gen.ToArbitrary(), Total).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Test]
    public void Decode_AnyStringInAnyPayloadField_IsAValueOrAShortError()
    {
        var gen =
            from index in Gen.Choose(0, Samples.Length - 1)
            from field in Gen.Elements("uuid", "host", "display_name", "event_type", "message_id", "flavor", "extra_specs", "vcpus", "state")
            from value in ArbMap.Default.GeneratorFor<string>()
            select Encoding.UTF8.GetBytes(Samples[index].Replace($"\\\"{field}\\\": ", $"\\\"{field}\\\": {Quote(value)}, \\\"x{field}\\\": ", StringComparison.Ordinal));
        Prop.ForAll(gen.ToArbitrary(), Total).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Test]
    public void Split_AnyBytes_NeverThrows()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes => NotificationFile.Split(bytes).All(m => m.Line >= 1))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    private static byte[] Splice(byte[] body, int at, int cut, byte[] insert)
    {
        at = Math.Min(at, body.Length);
        cut = Math.Min(cut, body.Length - at);
        return [.. body[..at], .. insert, .. body[(at + cut)..]];
    }

    // The value as it would sit inside the oslo.message string: a JSON string literal, escaped once more.
    private static string Quote(string? value)
    {
        var literal = System.Text.Json.JsonSerializer.Serialize(value ?? "");
        return System.Text.Json.JsonSerializer.Serialize(literal)[1..^1];
    }
}
