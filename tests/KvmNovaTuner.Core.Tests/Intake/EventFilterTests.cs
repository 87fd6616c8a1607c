using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Filtering;

namespace KvmNovaTuner.Core.Tests.Intake;

public sealed class EventFilterTests
{
    private static InstanceEvent Event(string type, string? host = "cmp-1", string? uuid = "u-1", string? state = null, string? oldState = null) => new()
    {
        Format = NotificationFormat.Versioned,
        EventType = type,
        MessageId = Guid.NewGuid().ToString(),
        Host = host,
        InstanceUuid = uuid,
        State = state,
        OldState = oldState,
    };

    private static readonly EventFilter Filter = new("cmp-1");

    [TestCase("instance.create.start", EventTrigger.Prepare)]
    [TestCase("instance.create.end", EventTrigger.Apply)]
    [TestCase("instance.rebuild.end", EventTrigger.Reapply)]
    [TestCase("instance.resize_finish.end", EventTrigger.Reapply)]
    [TestCase("instance.evacuate", EventTrigger.Reapply)]
    [TestCase("instance.unshelve.end", EventTrigger.Reapply)]
    [TestCase("instance.live_migration_post_dest.end", EventTrigger.Reapply)]
    [TestCase("instance.reboot.end", EventTrigger.Reapply)]
    [TestCase("instance.power_on.end", EventTrigger.Reapply)]
    [TestCase("instance.delete.end", EventTrigger.Release)]
    [TestCase("instance.snapshot.start", EventTrigger.Snapshot)]
    [TestCase("instance.snapshot.end", EventTrigger.Snapshot)]
    [TestCase("compute.instance.create.end", EventTrigger.Apply)]
    [TestCase("compute.instance.finish_resize.end", EventTrigger.Reapply)]
    [TestCase("compute.instance.live_migration.post.dest.end", EventTrigger.Reapply)]
    public void Evaluate_RelevantEventOnThisHost_IsAcceptedWithTrigger(string type, EventTrigger trigger)
    {
        var decision = Filter.Evaluate(Event(type));
        Assert.That(decision.Accepted, Is.True, decision.Reason);
        Assert.That(decision.Trigger, Is.EqualTo(trigger));
        Assert.That(decision.Reason, Does.Contain(type));
    }

    [TestCase("instance.pause.end")]
    [TestCase("instance.create.end.extra")]
    [TestCase("instance.rebuild.start")]
    [TestCase("instance.exists")]
    [TestCase("instance.lock")]
    public void Evaluate_IrrelevantEventOnThisHost_IsDroppedWithReason(string type)
    {
        var decision = Filter.Evaluate(Event(type));
        Assert.That(decision.Accepted, Is.False);
        Assert.That(decision.Reason, Does.Contain("does not change what should be applied"));
        Assert.That(decision.Status, Is.EqualTo("ignored"));
    }

    [Test]
    public void Evaluate_OtherHost_IsDroppedNamingBothHosts()
    {
        var decision = Filter.Evaluate(Event("instance.create.end", host: "cmp-2"));
        Assert.That(decision.Accepted, Is.False);
        Assert.That(decision.Reason, Does.Contain("cmp-2").And.Contain("cmp-1"));
    }

    [Test]
    public void Evaluate_HostComparison_IsExactLikeNovas()
    {
        Assert.That(Filter.Evaluate(Event("instance.create.end", host: "CMP-1")).Accepted, Is.False, "nova-compute compares instance.host != self.host exactly");
    }

    [Test]
    public void Evaluate_NoHost_IsDroppedWithReason()
    {
        Assert.That(Filter.Evaluate(Event("instance.create.end", host: null)).Reason, Does.Contain("names no host"));
    }

    [Test]
    public void Evaluate_FlavorUpdate_IsDroppedExplainingResize()
    {
        Assert.That(Filter.Evaluate(Event("flavor.update", uuid: null)).Reason, Does.Contain("resize"));
    }

    [Test]
    public void Evaluate_UpdateIntoError_IsAcceptedAsFailed()
    {
        var decision = Filter.Evaluate(Event("instance.update", state: "error", oldState: "active"));
        Assert.That(decision.Trigger, Is.EqualTo(EventTrigger.Failed));
    }

    [TestCase("active", "active")]
    [TestCase("error", "error")]
    public void Evaluate_UpdateWithoutChangeIntoError_IsDropped(string oldState, string state)
    {
        Assert.That(Filter.Evaluate(Event("instance.update", state: state, oldState: oldState)).Accepted, Is.False);
    }

    [Test]
    public void Evaluate_EverySample_GivesADecisionWithAReason()
    {
        var filter = new EventFilter("compute");
        var decisions = NovaSamples.AllLines.Select(l => filter.Evaluate(NotificationDecoder.Decode(l).Event!)).ToList();
        Assert.That(decisions, Has.All.Matches<FilterDecision>(d => d.Reason.Length > 0));
        Assert.That(decisions.Count(d => d.Accepted), Is.InRange(10, 40), "the samples for host 'compute' include create, rebuild, resize, delete and snapshot events");
    }

    [Test]
    public void Constructor_EmptyHost_Throws()
    {
        Assert.That(() => new EventFilter(" "), Throws.ArgumentException);
    }
}
