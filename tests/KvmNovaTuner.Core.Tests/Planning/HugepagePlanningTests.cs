using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.Topology;
using static KvmNovaTuner.Core.Tests.Planning.PlanningFixtures;

namespace KvmNovaTuner.Core.Tests.Planning;

public sealed class HugepagePlanningTests
{
    private static PlanRequest Boot(string pageSize, int memoryMb = 4096, string eventType = "instance.create.start", params (string, string)[] more) =>
        Request(eventType, 4, memoryMb, Host, null, [(SpecKeys.MemPageSize, pageSize), .. more]);

    [Test]
    public void Plan_CreateStartWithEmptyPools_GrowsOneNodeWithinBudget()
    {
        var action = Plan(Boot("2MB")).OfKind(ActionKinds.HugepagePool).Single();
        Assert.That(action.Target, Is.EqualTo("node/0/hugepages-2048kB"));
        Assert.That(action.Settings, Is.EquivalentTo(new Dictionary<string, string> { ["node"] = "0", ["page_size_kb"] = "2048", ["nr_hugepages"] = "2048" }));
        Assert.That(action.When, Is.EqualTo(ActionTiming.Host));
    }

    [Test]
    public void Plan_NodeWithEnoughFreePages_NeedsNoGrowth()
    {
        var host = Host2x4(pools: [new HugepagePool(2048, 4096, 2048)]);
        Assert.That(Plan(Boot("2048"), host).OfKind(ActionKinds.HugepagePool), Is.Empty);
    }

    [Test]
    public void Plan_PartlyFreePool_GrowsByTheShortfallOnTheCheapestNode()
    {
        var cells = Host2x4().Cells.Select(c => c with { Hugepages = [new HugepagePool(2048, c.Id == 1 ? 1500 : 100, c.Id == 1 ? 1000 : 50)] }).ToList();
        var host = new HostTopology(cells, new HashSet<int> { 0, 4 });
        var action = Plan(Boot("2MiB"), host).OfKind(ActionKinds.HugepagePool).Single();
        Assert.That(action.Target, Is.EqualTo("node/1/hugepages-2048kB"));
        Assert.That(action.Settings["nr_hugepages"], Is.EqualTo("2548"), "1500 total + (2048 needed - 1000 free)");
    }

    [Test]
    public void Plan_TwoNodeGuest_GrowsTwoNodesForItsCells()
    {
        var request = Request("instance.create.start", 4, 4096, Host, null, (SpecKeys.MemPageSize, "1GB"), (SpecKeys.NumaNodes, "2"));
        var actions = Plan(request).OfKind(ActionKinds.HugepagePool);
        Assert.That(actions.Select(a => a.Target), Is.EqualTo(new[] { "node/0/hugepages-1048576kB", "node/1/hugepages-1048576kB" }));
        Assert.That(actions.All(a => a.Settings["nr_hugepages"] == "2"), Is.True);
    }

    [Test]
    public void Plan_ShortageBeyondBudget_IsAnErrorDiagnosticNotAnAction()
    {
        var plan = Plan(Boot("2048", memoryMb: 16384), options: PlannerOptions.Default with { HugepageBudgetFraction = 0.25 });
        Assert.That(plan.OfKind(ActionKinds.HugepagePool), Is.Empty);
        Assert.That(plan.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && d.Key == SpecKeys.MemPageSize).Select(d => d.Message), Has.Some.Contains("hugepage shortage"));
    }

    [Test]
    public void Plan_AbsoluteBudget_OverridesTheFraction() =>
        Assert.That(Plan(Boot("2048"), options: PlannerOptions.Default with { HugepageBudgetKbPerNode = 1024 * 1024 }).OfKind(ActionKinds.HugepagePool), Is.Empty);

    [TestCase("instance.live_migration_pre.start")]
    [TestCase("instance.unshelve.start")]
    [TestCase("instance.power_on.start")]
    [TestCase("instance.resize_prep.start")]
    public void Plan_OtherEventsBeforeABoot_AlsoPreparePools(string eventType) =>
        Assert.That(Plan(Boot("2048", eventType: eventType)).OfKind(ActionKinds.HugepagePool), Has.Count.EqualTo(1));

    [TestCase("instance.create.end")]
    [TestCase("instance.reboot.end")]
    public void Plan_EventsAfterTheBoot_DoNotTouchPools(string eventType) =>
        Assert.That(Plan(Boot("2048", eventType: eventType)).OfKind(ActionKinds.HugepagePool), Is.Empty);

    [TestCase("small")]
    [TestCase("any")]
    [TestCase("4")]
    public void Plan_SmallOrAnyPages_NeedNoPool(string pageSize) =>
        Assert.That(Plan(Boot(pageSize)).Actions, Is.Empty);

    [Test]
    public void Plan_Large_UsesAPoolThatAlreadyCoversTheGuest()
    {
        var host = Host2x4(pools: [new HugepagePool(2048, 0, 0), new HugepagePool(1048576, 8, 8)]);
        Assert.That(Plan(Boot("large"), host).Actions, Is.Empty);
        Assert.That(Plan(Boot("large")).OfKind(ActionKinds.HugepagePool).Single().Settings["page_size_kb"], Is.EqualTo("2048"));
    }

    [Test]
    public void Plan_PreBootEvent_PlansNoDomainActions()
    {
        var plan = Plan(Boot("2048", more: [(SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.Ksm, "off")]));
        Assert.That(plan.Actions.All(a => a.Kind == ActionKinds.HugepagePool), Is.True);
        Assert.That(plan.Diagnostics.Any(d => d.Message.Contains("precedes the boot")), Is.True);
    }
}
