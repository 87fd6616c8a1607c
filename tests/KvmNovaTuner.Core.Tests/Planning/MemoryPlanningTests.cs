using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using static KvmNovaTuner.Core.Tests.Planning.PlanningFixtures;

namespace KvmNovaTuner.Core.Tests.Planning;

public sealed class MemoryPlanningTests
{
    [TestCase("off", "true")]
    [TestCase("on", "false")]
    public void Plan_Ksm_SetsNoSharePagesAtNextBoot(string ksm, string nosharepages)
    {
        var action = Plan(Request((SpecKeys.Ksm, ksm))).OfKind(ActionKinds.MemoryBacking).Single();
        Assert.That(action.Settings, Is.EquivalentTo(new Dictionary<string, string> { ["nosharepages"] = nosharepages }));
        Assert.That(action.When, Is.EqualTo(ActionTiming.NextBoot));
        Assert.That(action.Target, Is.EqualTo($"domain/{Uuid}"));
    }

    [Test]
    public void Plan_KsmOffOnADomainWithNoSharePages_IsNotPlanned() =>
        Assert.That(Plan(Request((SpecKeys.Ksm, "off")), observed: With(Domain(d => d with { NoSharePages = true }))).Actions, Is.Empty);

    [Test]
    public void Plan_KsmOnForARealtimeGuest_IsIgnoredWithAWarning()
    {
        var plan = Plan(Request((SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.CpuRealtime, "yes"), (SpecKeys.CpuRealtimeMask, "^0"), (SpecKeys.Ksm, "on")));
        Assert.That(plan.OfKind(ActionKinds.MemoryBacking), Is.Empty);
        Assert.That(plan.Diagnostics.Any(d => d.Key == SpecKeys.Ksm && d.Severity == DiagnosticSeverity.Warning), Is.True);
    }

    [Test]
    public void Plan_NumaFlavor_VerifiesStrictNumatuneWithNovasNodeset()
    {
        var domain = Domain(d => d with { NumaMode = "interleave", NumaNodeset = "1" });
        var action = Plan(Request((SpecKeys.NumaNodes, "1")), observed: With(domain)).OfKind(ActionKinds.NumaTune).Single();
        Assert.That(action.Settings, Is.EquivalentTo(new Dictionary<string, string> { ["numa_mode"] = "strict", ["numa_nodeset"] = "1" }));
        Assert.That(action.Reason, Does.StartWith("verify"));
        Assert.That(action.When, Is.EqualTo(ActionTiming.NextBoot), "the numatune mode never changes live");
    }

    [Test]
    public void Plan_StrictNumatuneInEffect_IsNotPlanned() =>
        Assert.That(Plan(Request((SpecKeys.CpuPolicy, "dedicated")), observed: With(Domain(d => d with { NumaMode = "strict", NumaNodeset = "0" }))).OfKind(ActionKinds.NumaTune), Is.Empty);

    [Test]
    public void Plan_NoNumaTopology_PlansNoNumatune() => Assert.That(Plan(Request()).OfKind(ActionKinds.NumaTune), Is.Empty);
}
