using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Specs;

namespace KvmNovaTuner.Core.Tests.Agent;

public sealed class RestartOnCreateTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 16, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> OnCreate = new() { [SpecKeys.RestartToApply] = SpecKeys.RestartOnCreate };

    [Test]
    public void Decide_FreshCreateEndWithTheKey_Restarts() =>
        Assert.That(RestartOnCreateHandler.Decide(OnCreate, "2026-12-02 15:59:30.123456", Now, restartedBefore: false), Is.Null);

    [Test]
    public void Decide_WithoutTheKey_KeepsPendingRestartAndNamesTheKey() =>
        Assert.That(RestartOnCreateHandler.Decide(new Dictionary<string, string>(), "2026-12-02 15:59:30", Now, false),
            Does.Contain("next cold start").And.Contain("tuner:restart_to_apply=on-create"));

    [Test]
    public void Decide_NeverValue_DoesNotRestart() =>
        Assert.That(RestartOnCreateHandler.Decide(new Dictionary<string, string> { [SpecKeys.RestartToApply] = "never" }, "2026-12-02 15:59:30", Now, false), Is.Not.Null);

    [Test]
    public void Decide_CreateEndOlderThanTwoMinutes_DoesNotRestartAGuestInUse() =>
        Assert.That(RestartOnCreateHandler.Decide(OnCreate, "2026-12-02 15:57:00", Now, false), Does.Contain("no longer fresh").And.Contain("180 s"));

    [Test]
    public void Decide_SecondTime_DoesNotRestartAgain() =>
        Assert.That(RestartOnCreateHandler.Decide(OnCreate, "2026-12-02 15:59:30", Now, restartedBefore: true), Does.Contain("restarted once already"));

    [Test]
    public void Decide_NoTimestamp_DoesNotRestart() =>
        Assert.That(RestartOnCreateHandler.Decide(OnCreate, null, Now, false), Does.Contain("cannot be known to be fresh"));

    [TestCase("pending-restart", "2 applied, 0 unchanged, 2 pending restart", "pending-restart")]
    [TestCase("unchanged", "this boot was already tuned from libvirt.hook.started (hook-1): pending-restart", "pending-restart")]
    [TestCase("unchanged", "this boot was already tuned from libvirt.hook.started (hook-1): applied", "applied")]
    [TestCase("unchanged", "nothing to change: the host and domain already match the flavor", "unchanged")]
    public void BootStatus_OfADeduplicatedEvent_IsTheEarlierSourcesStatus(string status, string detail, string expected) =>
        Assert.That(BootDedupeHandler.BootStatus(new EventOutcome(status, detail)), Is.EqualTo(expected));
}
