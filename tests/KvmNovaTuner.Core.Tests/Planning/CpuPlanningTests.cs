using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using static KvmNovaTuner.Core.Tests.Planning.PlanningFixtures;

namespace KvmNovaTuner.Core.Tests.Planning;

public sealed class CpuPlanningTests
{
    [Test]
    public void Plan_DedicatedPolicy_PinsEmulatorToHousekeepingOfTheGuestsNode()
    {
        var domain = Domain(d => d with { VcpuPins = new Dictionary<int, string> { [0] = "5", [1] = "6", [2] = "7", [3] = "6" } });
        var plan = Plan(Request((SpecKeys.CpuPolicy, "dedicated")), observed: With(domain));
        var pin = plan.OfKind(ActionKinds.EmulatorPin).Single();
        Assert.That(pin.Target, Is.EqualTo($"domain/{Uuid}"));
        Assert.That(pin.Settings["cpuset"], Is.EqualTo("4"), "node 1's housekeeping CPU");
        Assert.That(pin.When, Is.EqualTo(ActionTiming.Live));
        Assert.That(pin.Reason, Does.Contain(SpecKeys.EmulatorPlacement));
    }

    [Test]
    public void Plan_HousekeepingSiblingOfAPinnedCpu_IsAvoidedWhenAnotherRemains()
    {
        var cells = Host2x4().Cells.Select(cell => cell with
        {
            SiblingsByCpu = cell.Cpus.ToDictionary(cpu => cpu, cpu => (IReadOnlyList<int>)[cpu - cpu % 2, cpu - cpu % 2 + 1]),
        }).ToList();
        var host = new Core.Topology.HostTopology(cells, new HashSet<int> { 0, 1, 4 });
        var domain = Domain(d => d with { VcpuPins = new Dictionary<int, string> { [0] = "2", [1] = "3", [2] = "5", [3] = "6" } });
        var plan = Plan(Request((SpecKeys.CpuPolicy, "dedicated")), host, With(domain));
        Assert.That(plan.OfKind(ActionKinds.EmulatorPin).Single().Settings["cpuset"], Is.EqualTo("0-1"), "CPU 4 is the sibling of pinned CPU 5");
        var onlySibling = new Core.Topology.HostTopology(cells, new HashSet<int> { 4 });
        Assert.That(Plan(Request((SpecKeys.CpuPolicy, "dedicated")), onlySibling, With(domain)).OfKind(ActionKinds.EmulatorPin).Single().Settings["cpuset"], Is.EqualTo("4"));
    }

    [Test]
    public void Plan_DedicatedPolicy_UnknownDomain_UsesEveryHousekeepingCpu() =>
        Assert.That(Plan(Request((SpecKeys.CpuPolicy, "dedicated"))).OfKind(ActionKinds.EmulatorPin).Single().Settings["cpuset"], Is.EqualTo("0,4"));

    [Test]
    public void Plan_EmulatorAlreadyPlaced_PlansNoEmulatorPin()
    {
        var domain = Domain(d => d with { EmulatorPin = "0,4" });
        Assert.That(Plan(Request((SpecKeys.CpuPolicy, "dedicated")), observed: With(domain)).OfKind(ActionKinds.EmulatorPin), Is.Empty);
    }

    [Test]
    public void Plan_NodeWithoutHousekeeping_FallsBackToOtherNodesWithAWarning()
    {
        var host = Host2x4() with { HousekeepingCpus = new HashSet<int> { 0 } };
        var domain = Domain(d => d with { VcpuPins = new Dictionary<int, string> { [0] = "5" } });
        var plan = Plan(Request((SpecKeys.CpuPolicy, "dedicated")), host, With(domain));
        Assert.That(plan.OfKind(ActionKinds.EmulatorPin).Single().Settings["cpuset"], Is.EqualTo("0"));
        Assert.That(plan.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Warning && d.Key == SpecKeys.EmulatorPlacement), Is.True);
    }

    [Test]
    public void Plan_NoHousekeepingCpuAtAll_PinsNothingAndSaysWhy()
    {
        var host = Host2x4() with { HousekeepingCpus = new HashSet<int>() };
        var plan = Plan(Request((SpecKeys.CpuPolicy, "dedicated")), host);
        Assert.That(plan.OfKind(ActionKinds.EmulatorPin), Is.Empty);
        Assert.That(plan.Diagnostics.Single(d => d.Key == SpecKeys.EmulatorPlacement).Message, Does.Contain("no housekeeping CPU"));
    }

    [Test]
    public void Plan_SharedPolicy_LeavesTheEmulatorToNova() =>
        Assert.That(Plan(Request()).OfKind(ActionKinds.EmulatorPin), Is.Empty);

    [Test]
    public void Plan_SharedPolicyWithExplicitPlacement_PinsTheEmulator() =>
        Assert.That(Plan(Request((SpecKeys.EmulatorPlacement, "housekeeping"))).OfKind(ActionKinds.EmulatorPin).Single().Settings["cpuset"], Is.EqualTo("0,4"));

    [Test]
    public void Plan_EmulatorIsolatedByNova_PinsOnlyIoThreads()
    {
        var plan = Plan(Request((SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.EmulatorThreadsPolicy, "isolate"), (SpecKeys.IoThreads, "1")));
        Assert.That(plan.OfKind(ActionKinds.EmulatorPin), Is.Empty);
        Assert.That(plan.OfKind(ActionKinds.IoThreadPin).Single().Settings["cpuset"], Is.EqualTo("0,4"));
    }

    [Test]
    public void Plan_IoThreads_AddsAndPinsEachLive()
    {
        var plan = Plan(Request((SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.IoThreads, "2")));
        var adds = plan.OfKind(ActionKinds.IoThreadAdd);
        Assert.That(adds.Select(a => a.Target), Is.EqualTo(new[] { $"domain/{Uuid}/iothread/1", $"domain/{Uuid}/iothread/2" }));
        Assert.That(adds.Select(a => a.Settings["iothread_id"]), Is.EqualTo(new[] { "1", "2" }));
        var pins = plan.OfKind(ActionKinds.IoThreadPin);
        Assert.That(pins.Select(a => a.Settings["iothread_id"]), Is.EqualTo(new[] { "1", "2" }));
        Assert.That(adds.Concat(pins).All(a => a.When == ActionTiming.Live), Is.True);
    }

    [Test]
    public void Plan_IoThreadsThatExistAndArePinned_AreNotPlannedAgain()
    {
        var domain = Domain(d => d with { IoThreadIds = [1, 2], IoThreadPins = new Dictionary<int, string> { [1] = "0,4", [2] = "0,4" }, EmulatorPin = "0,4" });
        var plan = Plan(Request((SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.IoThreads, "2")), observed: With(domain));
        Assert.That(plan.Actions.Where(a => a.Kind is ActionKinds.IoThreadAdd or ActionKinds.IoThreadPin or ActionKinds.EmulatorPin), Is.Empty);
    }

    [Test]
    public void Plan_NovasOwnIoThread_FollowsTheEmulator()
    {
        var domain = Domain(d => d with { IoThreadIds = [1] });
        var plan = Plan(Request((SpecKeys.CpuPolicy, "dedicated")), observed: With(domain));
        Assert.That(plan.OfKind(ActionKinds.IoThreadPin).Single().Target, Is.EqualTo($"domain/{Uuid}/iothread/1"));
        Assert.That(plan.OfKind(ActionKinds.IoThreadAdd), Is.Empty);
    }

    [Test]
    public void Plan_LivePinDiffersFromNovasConfiguredPin_ReappliesItAsAVerification()
    {
        var domain = Domain(d => d with
        {
            VcpuPins = new Dictionary<int, string> { [0] = "1", [1] = "0-7", [2] = "3", [3] = "5" },
            ConfiguredVcpuPins = new Dictionary<int, string> { [0] = "1", [1] = "2", [2] = "3", [3] = "5" },
        });
        var pin = Plan(Request((SpecKeys.CpuPolicy, "dedicated")), observed: With(domain)).OfKind(ActionKinds.VcpuPin).Single();
        Assert.That(pin.Target, Is.EqualTo($"domain/{Uuid}/vcpu/1"));
        Assert.That(pin.Settings["cpuset"], Is.EqualTo("2"));
        Assert.That(pin.Reason, Does.StartWith("verify"));
        Assert.That(pin.When, Is.EqualTo(ActionTiming.Live));
    }

    [Test]
    public void Plan_ConfiguredPinOnACpuTheHostLacks_IsNotPlannedButReported()
    {
        var domain = Domain(d => d with { VcpuPins = new Dictionary<int, string> { [0] = "1" }, ConfiguredVcpuPins = new Dictionary<int, string> { [0] = "42" } });
        var plan = Plan(Request(vcpus: 1, specs: [(SpecKeys.CpuPolicy, "dedicated")]), observed: With(domain));
        Assert.That(plan.OfKind(ActionKinds.VcpuPin), Is.Empty);
        Assert.That(plan.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error).Message, Does.Contain("42"));
    }

    [Test]
    public void Plan_DedicatedVcpuWithoutAnyPin_WarnsThatNovasPinningIsMissing()
    {
        var plan = Plan(Request(vcpus: 1, specs: [(SpecKeys.CpuPolicy, "dedicated")]), observed: With(Domain()));
        Assert.That(plan.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Warning && d.Key == SpecKeys.CpuPolicy).Message, Does.Contain("no pin"));
    }

    [Test]
    public void Plan_CpuQuota_VerifiesNovasSchedulerValues()
    {
        var plan = Plan(Request(("quota:cpu_shares", "2048"), ("quota:cpu_period", "100000"), ("quota:cpu_quota", "-1")));
        var scheduler = plan.OfKind(ActionKinds.Scheduler).Single();
        Assert.That(scheduler.Settings, Is.EquivalentTo(new Dictionary<string, string> { ["cpu_shares"] = "2048", ["vcpu_period"] = "100000", ["vcpu_quota"] = "-1" }));
        Assert.That(scheduler.Reason, Does.StartWith("verify"));
        Assert.That(scheduler.When, Is.EqualTo(ActionTiming.Live));
    }

    [Test]
    public void Plan_SharesDroppedByLiveMigration_AreReapplied_MatchingSharesAreNot()
    {
        var dropped = Domain(d => d with { Scheduler = new Dictionary<string, string> { ["cpu_shares"] = "1024" } });
        var kept = Domain(d => d with { Scheduler = new Dictionary<string, string> { ["cpu_shares"] = "2048", ["vcpu_period"] = "100000" } });
        var request = Request(("quota:cpu_shares", "2048"));
        Assert.That(Plan(request, observed: With(dropped)).OfKind(ActionKinds.Scheduler), Has.Count.EqualTo(1));
        Assert.That(Plan(request, observed: With(kept)).OfKind(ActionKinds.Scheduler), Is.Empty);
    }
}
