using KvmNovaTuner.Core.Specs;

namespace KvmNovaTuner.Core.Tests.Specs;

public sealed class BooleanSpecTests
{
    private static readonly string[] BooleanKeys = [SpecKeys.VifMultiqueue, SpecKeys.Ksm, SpecKeys.AutoRecover, SpecKeys.Require];

    [Test]
    public void Boolean_EveryNovaWordInAnyCase_IsAccepted(
        [ValueSource(nameof(BooleanKeys))] string key,
        [Values("1", "t", "true", "on", "y", "yes", "TRUE", "Yes", "0", "f", "false", "off", "n", "no", "OFF", "No")] string word)
    {
        var result = SpecAssert.Parse((key, word));
        SpecAssert.IsClean(result);
        var expected = word.ToLowerInvariant() is "1" or "t" or "true" or "on" or "y" or "yes";
        bool? actual = key switch
        {
            SpecKeys.VifMultiqueue => result.Spec.VifMultiqueue,
            SpecKeys.Ksm => result.Spec.Ksm,
            SpecKeys.AutoRecover => result.Spec.AutoRecover,
            _ => result.Spec.Require,
        };
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public void Boolean_OtherWord_IsAnErrorNamingTheAllowedWords([ValueSource(nameof(BooleanKeys))] string key, [Values("maybe", "2", "enabled", "")] string word)
    {
        var result = SpecAssert.Parse((key, word));
        SpecAssert.HasError(result, key, "is not a boolean");
        Assert.That(result.Diagnostics.Single().Message, Does.Contain("1/t/true/on/y/yes"));
    }

    [Test]
    public void CpuRealtime_Boolean_NeedsPinning()
    {
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.CpuRealtime, "yes")), SpecKeys.CpuRealtime, "needs hw:cpu_policy=dedicated or mixed");
        var pinned = SpecAssert.Parse((SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.CpuRealtime, "yes"), (SpecKeys.CpuRealtimeMask, "^0"));
        SpecAssert.IsClean(pinned);
        Assert.That(pinned.Spec.RealtimeVcpus, Is.EquivalentTo(new[] { 1, 2, 3 }));
    }
}
