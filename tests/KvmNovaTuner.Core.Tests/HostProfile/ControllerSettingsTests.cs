using KvmNovaTuner.Core.HostProfile;

namespace KvmNovaTuner.Core.Tests.HostProfile;

public sealed class ControllerSettingsTests
{
    private static ResolvedProfile Profile(params (string Key, string Value)[] settings) =>
        new("p", null, ["p"], settings.ToDictionary(s => s.Key, s => s.Value));

    [Test]
    public void From_ReadsControllerKeysAndReservations()
    {
        var settings = ControllerSettings.From(Profile(
            ("controller.ksm_adaptive", "true"), ("controller.hugepage_budget_percent", "25"),
            ("controller.hugepage_release_grace_seconds", "60"), ("hugepages.2048kB", "512")));
        Assert.Multiple(() =>
        {
            Assert.That(settings.KsmAdaptive, Is.True);
            Assert.That(settings.HugepageBudgetPercent, Is.EqualTo(25));
            Assert.That(settings.HugepageReleaseGrace, Is.EqualTo(TimeSpan.FromMinutes(1)));
            Assert.That(settings.ReservedPagesPerNodeBySize, Is.EquivalentTo(new Dictionary<long, long> { [2048] = 512 }));
        });
    }

    [TestCase("0")]
    [TestCase("101")]
    [TestCase("lots")]
    public void From_InvalidBudget_FallsBackToTheDefault(string percent)
    {
        Assert.That(ControllerSettings.From(Profile(("controller.hugepage_budget_percent", percent))).HugepageBudgetPercent,
            Is.EqualTo(ControllerSettings.DefaultBudgetPercent));
    }

    [Test]
    public void Floors_CoverEveryNodeOfferingAReservedSize()
    {
        var floors = ControllerSettings.From(Profile(("hugepages.2048kB", "64"))).Floors(SampleHosts.TwoNodeIntel.Nodes);
        Assert.That(floors, Is.EquivalentTo(new Dictionary<(int, long), long> { [(0, 2048)] = 64, [(1, 2048)] = 64 }));
    }

    [Test]
    public void Budget_IsThePercentOfTheNodesMemory()
    {
        var settings = ControllerSettings.From(Profile(("controller.hugepage_budget_percent", "50")));
        Assert.That(settings.Budget(1000).MaxPoolKbPerNode, Is.EqualTo(500));
    }
}
