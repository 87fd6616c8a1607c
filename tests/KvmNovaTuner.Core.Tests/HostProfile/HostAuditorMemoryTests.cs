using KvmNovaTuner.Core.HostProfile;
using static KvmNovaTuner.Core.Tests.HostProfile.SampleHosts;

namespace KvmNovaTuner.Core.Tests.HostProfile;

public sealed class HostAuditorMemoryTests
{
    [Test]
    public void Audit_ThpAlways_WithPinnedFlavors_WarnsAndDoesNotFit()
    {
        var finding = Finding(TwoNodeIntel with { ThpEnabledText = "[always] madvise never" }, Demand(("hw:cpu_policy", "dedicated")), "thp.enabled");
        Assert.Multiple(() =>
        {
            Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Warning));
            Assert.That(finding.FitsFlavors, Is.False);
            Assert.That(finding.Value, Is.EqualTo("always"));
        });
    }

    [Test]
    public void Audit_ThpAlways_WithoutFlavors_IsOkAndFitIsNotJudged()
    {
        var finding = Finding(TwoNodeIntel with { ThpEnabledText = "[always] madvise never" }, FlavorDemand.None, "thp.enabled");
        Assert.Multiple(() =>
        {
            Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Ok));
            Assert.That(finding.FitsFlavors, Is.Null);
        });
    }

    [Test]
    public void Audit_ThpNever_WithDenseFlavors_DoesNotFit()
    {
        var finding = Finding(TwoNodeIntel with { ThpEnabledText = "always madvise [never]" }, Demand(("tuner:ksm", "on")), "thp.enabled");
        Assert.That(finding.FitsFlavors, Is.False);
    }

    [Test]
    public void Audit_ThpMissing_IsInfo()
    {
        Assert.That(Finding(TwoNodeIntel with { ThpEnabledText = null }, FlavorDemand.None, "thp.enabled").Severity, Is.EqualTo(FindingSeverity.Info));
    }

    [TestCase("[always] defer defer+madvise madvise never", FindingSeverity.Warning)]
    [TestCase("always defer defer+madvise [madvise] never", FindingSeverity.Ok)]
    [TestCase("always defer defer+madvise madvise [never]", FindingSeverity.Ok)]
    public void Audit_ThpDefrag_AlwaysStallsFaults(string text, FindingSeverity expected)
    {
        Assert.That(Finding(TwoNodeIntel with { ThpDefragText = text }, FlavorDemand.None, "thp.defrag").Severity, Is.EqualTo(expected));
    }

    [Test]
    public void Audit_KsmRunning_WithKsmOffFlavors_Warns()
    {
        var facts = TwoNodeIntel with { Ksm = new KsmFacts(1, 100, 20, 10, 500) };
        var finding = Finding(facts, Demand(("tuner:ksm", "off")), "ksm");
        Assert.Multiple(() =>
        {
            Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Warning));
            Assert.That(finding.FitsFlavors, Is.False);
            Assert.That(finding.Value, Does.Contain("pages_sharing=500"));
        });
    }

    [Test]
    public void Audit_KsmStopped_WithDenseFlavors_Warns()
    {
        Assert.That(Finding(TwoNodeIntel, Demand(("tuner:ksm", "on")), "ksm").Severity, Is.EqualTo(FindingSeverity.Warning));
    }

    [Test]
    public void Audit_KsmCounters_ReportSavedMemory()
    {
        var finding = Finding(TwoNodeIntel with { Ksm = new KsmFacts(1, 100, 20, 100, 2560) }, FlavorDemand.None, "ksm");
        Assert.That(finding.Value, Does.Contain("~10 MiB saved"));
    }

    [Test]
    public void Audit_KsmMissing_IsInfoWithoutDenseFlavors()
    {
        Assert.That(Finding(TwoNodeIntel with { Ksm = null }, FlavorDemand.None, "ksm").Severity, Is.EqualTo(FindingSeverity.Info));
    }

    [Test]
    public void Audit_HugepagePools_OneFindingPerNodeAndSize()
    {
        var items = HostAuditor.Audit(TwoNodeIntel, FlavorDemand.None).Select(f => f.Item).Where(i => i.StartsWith("hugepages.", StringComparison.Ordinal));
        Assert.That(items, Is.EquivalentTo(new[]
        {
            "hugepages.node0.2048kB", "hugepages.node0.1048576kB", "hugepages.node1.2048kB", "hugepages.node1.1048576kB",
        }));
    }

    [Test]
    public void Audit_HugepageSizeNoNodeOffers_IsAnError()
    {
        var facts = TwoNodeIntel with { Nodes = [.. TwoNodeIntel.Nodes.Select(n => n with { Pools = [new HugepagePoolFacts(2048, 0, 0, 0)] })] };
        var finding = Finding(facts, Demand(("hw:mem_page_size", "1GB")), "hugepages.1048576kB");
        Assert.Multiple(() =>
        {
            Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Error));
            Assert.That(finding.FitsFlavors, Is.False);
        });
    }

    [Test]
    public void Audit_EmptyPoolOfAWantedSize_IsInfoBecauseTheControllerGrowsIt()
    {
        var finding = Finding(TwoNodeIntel, Demand(("hw:mem_page_size", "2MB")), "hugepages.node0.2048kB");
        Assert.Multiple(() =>
        {
            Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Info));
            Assert.That(finding.Value, Is.EqualTo("total=0 free=0 surplus=0"));
        });
    }
}
