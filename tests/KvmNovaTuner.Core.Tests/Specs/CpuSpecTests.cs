using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;

namespace KvmNovaTuner.Core.Tests.Specs;

public sealed class CpuSpecTests
{
    [Test]
    public void Dedicated_PinsEveryVcpu()
    {
        var result = SpecAssert.Parse((SpecKeys.CpuPolicy, "dedicated"));
        SpecAssert.IsClean(result);
        Assert.That(result.Spec.CpuPolicy, Is.EqualTo(CpuPolicy.Dedicated));
        Assert.That(result.Spec.DedicatedVcpus, Is.EquivalentTo(new[] { 0, 1, 2, 3 }));
    }

    [Test]
    public void Shared_IsTheDefaultAndPinsNothing()
    {
        var result = SpecAssert.Parse();
        Assert.That(result.Spec.CpuPolicy, Is.EqualTo(CpuPolicy.Shared));
        Assert.That(result.Spec.DedicatedVcpus, Is.Empty);
    }

    [Test]
    public void Policy_UnknownWord_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.CpuPolicy, "pinned")), SpecKeys.CpuPolicy, "is not one of shared, dedicated, mixed");

    [TestCase(SpecKeys.CpuThreadPolicy, "isolate")]
    [TestCase(SpecKeys.EmulatorThreadsPolicy, "isolate")]
    [TestCase(SpecKeys.CpuRealtime, "true")]
    public void PinningOnlyKeys_UnderSharedPolicy_AreErrors(string key, string value) =>
        SpecAssert.HasError(SpecAssert.Parse((key, value)), key, "needs hw:cpu_policy=dedicated or mixed");

    [TestCase("prefer", CpuThreadPolicy.Prefer)]
    [TestCase("isolate", CpuThreadPolicy.Isolate)]
    [TestCase("require", CpuThreadPolicy.Require)]
    public void ThreadPolicy_UnderDedicated_IsRead(string word, CpuThreadPolicy expected)
    {
        var result = SpecAssert.Parse((SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.CpuThreadPolicy, word));
        SpecAssert.IsClean(result);
        Assert.That(result.Spec.CpuThreadPolicy, Is.EqualTo(expected));
    }

    [Test]
    public void EmulatorShare_UnderShared_IsAllowed() =>
        SpecAssert.IsClean(SpecAssert.Parse((SpecKeys.EmulatorThreadsPolicy, "share")));

    [TestCase("^0", new[] { 1, 2, 3 })]
    [TestCase("2-3", new[] { 2, 3 })]
    [TestCase("0,^0-1,3", new[] { 3 })]
    public void Mixed_DedicatedMask_SelectsThePinnedVcpus(string mask, int[] pinned)
    {
        var result = SpecAssert.Parse((SpecKeys.CpuPolicy, "mixed"), (SpecKeys.CpuDedicatedMask, mask));
        SpecAssert.IsClean(result);
        Assert.That(result.Spec.DedicatedVcpus, Is.EquivalentTo(pinned));
    }

    [Test]
    public void Mixed_RealtimeMaskAlone_SelectsThePinnedVcpus()
    {
        var result = SpecAssert.Parse((SpecKeys.CpuPolicy, "mixed"), (SpecKeys.CpuRealtime, "yes"), (SpecKeys.CpuRealtimeMask, "^0-1"));
        SpecAssert.IsClean(result);
        Assert.That(result.Spec.DedicatedVcpus, Is.EquivalentTo(new[] { 2, 3 }));
    }

    [Test]
    public void Mixed_ExclusionMaskWithoutVcpuCount_IsNotJudged() =>
        Assert.That(SpecParser.Parse(new Dictionary<string, string> { [SpecKeys.CpuPolicy] = "mixed", [SpecKeys.CpuDedicatedMask] = "^0" }).IsValid, Is.True);

    [Test]
    public void Mixed_WithoutMask_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.CpuPolicy, "mixed")), SpecKeys.CpuPolicy, "needs a mask");

    [Test]
    public void Mixed_WithBothMasks_IsAnError() =>
        SpecAssert.HasError(
            SpecAssert.Parse((SpecKeys.CpuPolicy, "mixed"), (SpecKeys.CpuDedicatedMask, "^0"), (SpecKeys.CpuRealtime, "yes"), (SpecKeys.CpuRealtimeMask, "^0")),
            SpecKeys.CpuPolicy, "exactly one of");

    [TestCase("0-3")]
    [TestCase("^0-3")]
    public void Mixed_MaskThatPinsAllOrNone_IsAnError(string mask) =>
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.CpuPolicy, "mixed"), (SpecKeys.CpuDedicatedMask, mask)), SpecKeys.CpuDedicatedMask, "at least one shared and one dedicated");

    [TestCase("4")]
    [TestCase("^7")]
    public void Mask_BeyondTheFlavorsVcpus_IsAnError(string mask) =>
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.CpuPolicy, "mixed"), (SpecKeys.CpuDedicatedMask, mask)), SpecKeys.CpuDedicatedMask, "beyond the flavor's 4");

    [TestCase("x")]
    [TestCase("1-")]
    public void Mask_Malformed_IsAnError(string mask) =>
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.CpuPolicy, "mixed"), (SpecKeys.CpuDedicatedMask, mask)), SpecKeys.CpuDedicatedMask, "is not a CPU mask");

    [Test]
    public void DedicatedMask_UnderDedicated_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.CpuDedicatedMask, "^0")), SpecKeys.CpuDedicatedMask, "only for hw:cpu_policy=mixed");

    [Test]
    public void DedicatedMask_UnderShared_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.CpuDedicatedMask, "^0")), SpecKeys.CpuDedicatedMask, "needs hw:cpu_policy=mixed");

    [Test]
    public void Realtime_WithoutMaskOrIsolatedEmulator_Warns()
    {
        var result = SpecAssert.Parse((SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.CpuRealtime, "yes"));
        Assert.That(result.About(SpecKeys.CpuRealtime, DiagnosticSeverity.Warning), Has.Count.EqualTo(1));
        SpecAssert.IsClean(SpecAssert.Parse((SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.CpuRealtime, "yes"), (SpecKeys.EmulatorThreadsPolicy, "isolate")));
    }

    [Test]
    public void RealtimeMask_WithoutRealtime_Warns() =>
        Assert.That(SpecAssert.Parse((SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.CpuRealtimeMask, "^0")).About(SpecKeys.CpuRealtimeMask, DiagnosticSeverity.Warning), Has.Count.EqualTo(1));

    [Test]
    public void Topology_ProductMustEqualVcpus()
    {
        SpecAssert.IsClean(SpecAssert.Parse((SpecKeys.CpuSockets, "2"), (SpecKeys.CpuCores, "2"), (SpecKeys.CpuThreads, "1")));
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.CpuSockets, "2"), (SpecKeys.CpuCores, "4"), (SpecKeys.CpuThreads, "1")), SpecKeys.CpuSockets, "must equal the flavor's 4 vCPUs");
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.CpuCores, "0")), SpecKeys.CpuCores, "outside 1..1024");
    }
}
