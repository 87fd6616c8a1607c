using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Tests.Fuzzing;

namespace KvmNovaTuner.Core.Tests.Fuzzing;

public sealed class NotificationFuzzerTests
{
    [Test]
    public void Mutations_SameSeed_GiveTheSameBytes()
    {
        var first = NotificationFuzzer.Mutations(NotificationFuzzer.DefaultSeed, 500).ToList();
        var second = NotificationFuzzer.Mutations(NotificationFuzzer.DefaultSeed, 500).ToList();

        Assert.That(second, Has.Count.EqualTo(500));
        Assert.That(second.Select(Convert.ToBase64String), Is.EqualTo(first.Select(Convert.ToBase64String)));
    }

    [Test]
    public void Mutations_OtherSeed_GiveOtherBytes()
    {
        var a = NotificationFuzzer.Mutations(1, 50).Select(Convert.ToBase64String);
        var b = NotificationFuzzer.Mutations(2, 50).Select(Convert.ToBase64String);

        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void Generate_ThreeThousand_CoverEveryMutationKind()
    {
        var kinds = NotificationFuzzer.Generate(NotificationFuzzer.DefaultSeed, 3000).Select(m => m.Kind).Distinct();

        Assert.That(kinds, Is.EquivalentTo(Enum.GetValues<MutationKind>()));
    }

    [Test]
    public void Generate_NoMutationContainsALineBreak_SoJsonLinesKeepOneMutationALine()
    {
        var messages = NotificationFuzzer.Generate(NotificationFuzzer.DefaultSeed, 3000).ToList();

        Assert.That(messages.Where(m => m.Body.AsSpan().IndexOfAny((byte)'\n', (byte)'\r') >= 0).Select(m => m.Kind), Is.Empty);
        var lines = NotificationFuzzer.JsonLines(messages).Count(b => b == (byte)'\n');
        Assert.That(lines, Is.EqualTo(3000));
    }

    [Test]
    public void Generate_ValidMutations_DecodeToTheSampleEvent()
    {
        foreach (var m in NotificationFuzzer.Generate(NotificationFuzzer.DefaultSeed, 1000).Where(m => m.Expected == Expectation.Valid))
        {
            var sample = NotificationDecoder.Decode(NotificationFuzzer.Samples[m.SampleIndex]);
            var mutated = NotificationDecoder.Decode(m.Body);

            Assert.That(mutated.Error, Is.Null, $"mutation {m.Index} ({m.Kind})");
            Assert.That((mutated.Event!.EventType, mutated.Event.InstanceUuid, mutated.Event.MessageId),
                Is.EqualTo((sample.Event!.EventType, sample.Event.InstanceUuid, sample.Event.MessageId)), $"mutation {m.Index} ({m.Kind})");
        }
    }

    [Test]
    public void Generate_HugeString_IsLongerThanTheSizeLimit()
    {
        var huge = NotificationFuzzer.Generate(NotificationFuzzer.DefaultSeed, 3000).First(m => m.Kind == MutationKind.HugeString);

        Assert.That(huge.Body, Has.Length.GreaterThan(NotificationFuzzer.HugeStringBytes));
        Assert.That(huge.Expected, Is.EqualTo(Expectation.Invalid));
    }

    [Test]
    public void Generate_InvalidUtf8_IsNotUtf8()
    {
        var strict = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true);
        foreach (var m in NotificationFuzzer.Generate(NotificationFuzzer.DefaultSeed, 500).Where(m => m.Kind == MutationKind.InvalidUtf8))
        {
            Assert.That(() => strict.GetString(m.Body), Throws.InstanceOf<System.Text.DecoderFallbackException>(), $"mutation {m.Index}");
        }
    }
}
