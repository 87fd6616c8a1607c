using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.State;
using static KvmNovaTuner.Core.Tests.Planning.PlanningFixtures;

namespace KvmNovaTuner.Core.Tests.Planning;

public sealed class NetworkPlanningTests
{
    private static readonly string[] Taps = ["tap0a1b2c3d-4e"];

    private static Plan PlanVif(ObservedState? observed, params (string, string)[] specs) =>
        Plan(Request("instance.create.end", 4, 4096, Host, Taps, specs), observed: observed);

    [Test]
    public void Plan_OutboundAverageAndBurst_BecomeInterfacePolicingInKbit()
    {
        var action = PlanVif(null, ("quota:vif_outbound_average", "1000"), ("quota:vif_outbound_burst", "100")).OfKind(ActionKinds.OvsPolicing).Single();
        Assert.That(action.Target, Is.EqualTo("port/tap0a1b2c3d-4e"));
        Assert.That(action.Settings, Is.EquivalentTo(new Dictionary<string, string> { ["ingress_policing_rate"] = "8000", ["ingress_policing_burst"] = "800" }));
        Assert.That(action.When, Is.EqualTo(ActionTiming.Live));
    }

    [Test]
    public void Plan_OutboundWithoutBurst_LeavesOvsDefaultBurst() =>
        Assert.That(PlanVif(null, ("quota:vif_outbound_average", "1000")).OfKind(ActionKinds.OvsPolicing).Single().Settings["ingress_policing_burst"], Is.EqualTo("0"));

    [Test]
    public void Plan_InboundWithPeakAndBurst_BecomesHtbQosInBits()
    {
        var action = PlanVif(null, ("quota:vif_inbound_average", "1000"), ("quota:vif_inbound_peak", "2000"), ("quota:vif_inbound_burst", "100")).OfKind(ActionKinds.OvsQos).Single();
        Assert.That(action.Settings, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["type"] = "linux-htb", ["min-rate"] = "8000000", ["max-rate"] = "16000000", ["burst"] = "819200",
        }));
    }

    [Test]
    public void Plan_InboundWithoutPeak_CapsAtTheAverage()
    {
        var action = PlanVif(null, ("quota:vif_inbound_average", "1000")).OfKind(ActionKinds.OvsQos).Single();
        Assert.That(action.Settings["max-rate"], Is.EqualTo(action.Settings["min-rate"]));
        Assert.That(action.Settings.ContainsKey("burst"), Is.False);
        Assert.That(action.Reason, Does.Contain("capped at the average"));
    }

    [Test]
    public void Plan_DpdkPort_GetsAnEgressPolicerInBytes()
    {
        var port = new OvsPortState { Name = Taps[0], InterfaceType = "dpdkvhostuserclient" };
        var action = PlanVif(new ObservedState(null, [port]), ("quota:vif_inbound_average", "1000"), ("quota:vif_inbound_burst", "100")).OfKind(ActionKinds.OvsQos).Single();
        Assert.That(action.Settings, Is.EquivalentTo(new Dictionary<string, string> { ["type"] = "egress-policer", ["cir"] = "1000000", ["cbs"] = "102400" }));
    }

    [Test]
    public void Plan_PortAlreadyShaped_IsNotPlanned()
    {
        var port = new OvsPortState
        {
            Name = Taps[0], IngressPolicingRate = 8000, IngressPolicingBurst = 800, QosType = "linux-htb",
            QosSettings = new Dictionary<string, string> { ["min-rate"] = "8000000", ["max-rate"] = "8000000" },
        };
        var plan = PlanVif(new ObservedState(null, [port]), ("quota:vif_outbound_average", "1000"), ("quota:vif_outbound_burst", "100"), ("quota:vif_inbound_average", "1000"));
        Assert.That(plan.Actions, Is.Empty);
    }

    [Test]
    public void Plan_DriftedPort_IsPlannedAgain()
    {
        var port = new OvsPortState { Name = Taps[0], IngressPolicingRate = 0 };
        Assert.That(PlanVif(new ObservedState(null, [port]), ("quota:vif_outbound_average", "1000")).OfKind(ActionKinds.OvsPolicing), Has.Count.EqualTo(1));
    }

    [Test]
    public void Plan_EveryPortFromEventOvsAndDomain_IsShaped()
    {
        var domain = Domain(d => d with { Interfaces = [new InterfaceState("tapdomain", "ethernet", null)] });
        var observed = new ObservedState(domain, [new OvsPortState { Name = "tapovs" }]);
        var plan = PlanVif(observed, ("quota:vif_outbound_average", "10"));
        Assert.That(plan.OfKind(ActionKinds.OvsPolicing).Select(a => a.Target), Is.EquivalentTo(new[] { "port/tap0a1b2c3d-4e", "port/tapovs", "port/tapdomain" }));
    }

    [Test]
    public void Plan_NoPortKnown_SaysBandwidthWaits()
    {
        var plan = Plan(Request(("quota:vif_outbound_average", "10")));
        Assert.That(plan.Actions, Is.Empty);
        Assert.That(plan.Diagnostics.Single().Key, Is.EqualTo("quota:vif"));
    }
}
