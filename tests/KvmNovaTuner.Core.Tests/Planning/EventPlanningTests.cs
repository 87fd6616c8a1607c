using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.State;
using static KvmNovaTuner.Core.Tests.Planning.PlanningFixtures;

namespace KvmNovaTuner.Core.Tests.Planning;

public sealed class EventPlanningTests
{
    private static readonly (string, string)[] Tuned = [(SpecKeys.CpuPolicy, "dedicated"), (SpecKeys.Ksm, "off"), ("quota:cpu_shares", "100")];

    [Test]
    public void Plan_EventForAnotherHost_HasNoActionsAndAnInfoSayingSo()
    {
        var plan = Plan(Request("instance.create.end", 4, 4096, "compute-2", null, Tuned));
        Assert.That(plan.Actions, Is.Empty);
        var info = plan.Diagnostics.Single(d => d.Key == "event");
        Assert.That(info.Severity, Is.EqualTo(DiagnosticSeverity.Info));
        Assert.That(info.Message, Does.Contain("compute-2").And.Contain(Host));
        Assert.That(plan.Host, Is.EqualTo(Host));
    }

    [TestCase("instance.delete.start")]
    [TestCase("instance.shutdown.end")]
    [TestCase("instance.shelve_offload.start")]
    public void Plan_InstanceLeavingTheHost_TunesNothing(string eventType) =>
        Assert.That(Plan(Request(eventType, 4, 4096, Host, null, Tuned)).Actions, Is.Empty);

    [TestCase("instance.delete.end")]
    [TestCase("instance.shelve_offload.end")]
    public void Plan_InstanceGone_ReleasesTheTunersOvsRows(string eventType)
    {
        var release = Plan(Request(eventType, 4, 4096, Host, null, Tuned)).Actions.Single();
        Assert.That(release.Kind, Is.EqualTo(ActionKinds.OvsRelease));
        Assert.That(release.Target, Is.EqualTo($"instance/{Uuid}"));
        Assert.That(release.Settings, Is.Empty);
    }

    [Test]
    public void Plan_InstanceGoneWithOnlyForeignPorts_ReleasesNothing()
    {
        var observed = new ObservedState(null, [new OvsPortState { Name = "tap1", Owner = "neutron" }]);
        Assert.That(Plan(Request("instance.delete.end", 4, 4096, Host, null, Tuned), observed: observed).Actions, Is.Empty);
    }

    [Test]
    public void Plan_EventWithoutHost_PlansAsThisHostWithAWarning()
    {
        var plan = Plan(Request("instance.create.end", 4, 4096, null, null, Tuned));
        Assert.That(plan.Actions, Is.Not.Empty);
        Assert.That(plan.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Warning && d.Key == "event"), Is.True);
    }

    [Test]
    public void Plan_SpecDiagnostics_AreCarriedIntoThePlan()
    {
        var plan = Plan(Request(("tuner:iothreads", "zero")));
        Assert.That(plan.Diagnostics.Single().Key, Is.EqualTo("tuner:iothreads"));
        Assert.That(plan.HasErrors, Is.True);
    }

    [Test]
    public void FromEvent_ResizePrep_PlansForTheNewFlavor()
    {
        var instanceEvent = Event("instance.resize_prep.start") with
        {
            NewFlavor = new FlavorInfo("big", "2", 8, 8192, new Dictionary<string, string> { [SpecKeys.MemPageSize] = "2048" }),
        };
        var request = PlanRequest.FromEvent(instanceEvent, Host);
        Assert.That(request.Spec.Vcpus, Is.EqualTo(8));
        Assert.That(request.Spec.MemPageSize, Is.EqualTo(PageSize.OfKb(2048)));
    }

    [Test]
    public void FromEvent_LegacyEventWithoutSpecs_FallsBackToTheDomainsNovaMetadata()
    {
        var instanceEvent = Event("instance.create.end") with { Flavor = new FlavorInfo("f", "1", 2, 2048, null) };
        var domain = Domain(d => d with { Nova = new NovaDomainMetadata("f", "1", 2, 2048, new Dictionary<string, string> { [SpecKeys.Ksm] = "off" }) });
        Assert.That(PlanRequest.FromEvent(instanceEvent, Host, domain).Spec.Ksm, Is.False);
        var bare = PlanRequest.FromEvent(instanceEvent, Host);
        Assert.That(bare.SpecDiagnostics.Single().Key, Is.EqualTo("extra_specs"));
    }

    [Test]
    public void FromEvent_TapNamesOfTheEvent_BecomePortNames()
    {
        var instanceEvent = Event("instance.create.end") with { Ports = [new PortInfo("tap1", "p1", null), new PortInfo(null, "p2", null)] };
        Assert.That(PlanRequest.FromEvent(instanceEvent, Host).PortNames, Is.EqualTo(new[] { "tap1" }));
    }

    private static InstanceEvent Event(string type) => new()
    {
        Format = NotificationFormat.Versioned,
        EventType = type,
        MessageId = "m1",
        Host = Host,
        InstanceUuid = Uuid,
        Flavor = new FlavorInfo("small", "1", 1, 512, new Dictionary<string, string>()),
    };
}
