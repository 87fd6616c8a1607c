using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Filtering;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;
using KvmNovaTuner.Messaging.Rabbit;

namespace KvmNovaTuner.Core.Tests.Intake;

/// <summary>One host-name rule (Nova's: exact) for the filter, the planner and the router's routing key.</summary>
public sealed class HostNameTests
{
    private static InstanceEvent CreateEnd(string host) => new()
    {
        Format = NotificationFormat.Versioned,
        EventType = "instance.create.end",
        MessageId = Guid.NewGuid().ToString(),
        Host = host,
        InstanceUuid = "11111111-2222-3333-4444-555555555555",
        Flavor = new FlavorInfo("f", "f-1", 2, 2048, new Dictionary<string, string> { ["tuner:blkio_weight"] = "800" }),
    };

    [Test]
    public void Filter_EventForAnotherCaseOfThisHost_IsDroppedAsAnotherHost()
    {
        var decision = new EventFilter("demo-compute").Evaluate(CreateEnd("DEMO-COMPUTE"));

        Assert.That(decision.Accepted, Is.False, "Nova compares host names exactly: an event it never sent to this host is not handled here");
        Assert.That(decision.Reason, Does.Contain("for host DEMO-COMPUTE, not demo-compute"));
    }

    [TestCase("demo-compute", true)]
    [TestCase("DEMO-COMPUTE", false)]
    [TestCase("demo-compute.example.org", false)]
    public void FilterAndPlanner_AgreeOnEveryHostName(string eventHost, bool thisHost)
    {
        var e = CreateEnd(eventHost);
        var accepted = new EventFilter("demo-compute").Evaluate(e).Accepted;
        var plan = TuningPlanner.Create(PlanRequest.FromEvent(e, "demo-compute"), HostTopology.Unknown, new ObservedState(null, []));
        var plannedAsThisHost = !plan.Diagnostics.Any(d => d.Message.Contains("not this host", StringComparison.Ordinal));

        Assert.That(accepted, Is.EqualTo(thisHost));
        Assert.That(plannedAsThisHost, Is.EqualTo(accepted), "the filter and the planner must never disagree about which host an event is for");
    }

    [Test]
    public void RoutingKey_IsTheExactHostName()
    {
        Assert.That(BrokerOptions.HostRoutingKey("Cmp-1"), Is.EqualTo("host.Cmp-1"));
        Assert.That(new HostName("cmp-1").Is("CMP-1"), Is.False);
        Assert.That(new HostName("cmp-1").Is(null), Is.False);
        Assert.That(() => new HostName(""), Throws.ArgumentException);
    }
}
