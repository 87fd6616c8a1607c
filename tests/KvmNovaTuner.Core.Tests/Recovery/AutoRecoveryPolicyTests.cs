using KvmNovaTuner.Core.Recovery;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.Recovery;

/// <summary>tuner:auto_recover: start once when a server goes to ERROR, never in a loop, never beside a running recovery.</summary>
public sealed class AutoRecoveryPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 4, 0, 0, TimeSpan.Zero);
    private FakeTimeProvider _clock = null!;

    [SetUp]
    public void SetUp() => _clock = new FakeTimeProvider(Start);

    private AutoRecoveryDecision Decide(IReadOnlyList<EarlierRecovery>? earlier = null, string? state = "error", bool specsKnown = true, bool autoRecover = true,
        AutoRecoveryOptions? options = null) =>
        AutoRecoveryPolicy.Decide(new AutoRecoveryRequest(state, specsKnown, autoRecover, earlier ?? [], _clock.GetUtcNow(), options ?? new AutoRecoveryOptions()));

    private EarlierRecovery Auto(long id, bool inProgress = false, bool declined = false) => new(id, true, inProgress, declined, _clock.GetUtcNow());

    [Test]
    public void Decide_ErrorAndFlavorAsksAndNoEarlierRecovery_Starts()
    {
        var decision = Decide();

        Assert.That(decision.Verdict, Is.EqualTo(AutoRecoveryVerdict.Start));
        Assert.That(decision.Reason, Does.Contain("tuner:auto_recover=true").And.Contain("1h"));
    }

    [Test]
    public void Decide_FlavorDoesNotAsk_SkipsSayingSo()
    {
        var decision = Decide(autoRecover: false);

        Assert.That(decision, Is.EqualTo(new AutoRecoveryDecision(AutoRecoveryVerdict.Skip, "the flavor does not ask for it (tuner:auto_recover is not true)")));
    }

    [Test]
    public void Decide_SpecsUnknown_SkipsBecauseTheKeyCannotBeRead()
    {
        var decision = Decide(specsKnown: false);

        Assert.That(decision.Verdict, Is.EqualTo(AutoRecoveryVerdict.Skip));
        Assert.That(decision.Reason, Does.Contain("extra specs are unknown"));
    }

    [TestCase("active")]
    [TestCase(null)]
    public void Decide_InstanceNotInError_Skips(string? state)
    {
        var decision = Decide(state: state);

        Assert.That(decision.Verdict, Is.EqualTo(AutoRecoveryVerdict.Skip));
        Assert.That(decision.Reason, Does.Contain("not in error"));
    }

    [Test]
    public void Decide_AutomaticRecoveryStartedWithinGuard_IgnoredByTheLoopGuard()
    {
        var earlier = Auto(7);
        _clock.Advance(TimeSpan.FromMinutes(59));

        var decision = Decide([earlier]);

        Assert.That(decision.Verdict, Is.EqualTo(AutoRecoveryVerdict.Ignore));
        Assert.That(decision.Reason, Is.EqualTo("loop guard: automatic recovery 7 started 2026-11-26T04:00:00Z, within the guard window of 1h"));
    }

    [Test]
    public void Decide_AutomaticRecoveryThatFailedWithinGuard_StillIgnored_ARecoveryEndingInErrorDoesNotLoop()
    {
        var failed = Auto(3);
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.That(Decide([failed]).Verdict, Is.EqualTo(AutoRecoveryVerdict.Ignore));
    }

    [Test]
    public void Decide_AutomaticRecoveryOlderThanGuard_StartsAgain()
    {
        var earlier = Auto(7);
        _clock.Advance(TimeSpan.FromHours(1));

        Assert.That(Decide([earlier]).Verdict, Is.EqualTo(AutoRecoveryVerdict.Start));
    }

    [Test]
    public void Decide_ConfiguredGuard_IsTheWindow()
    {
        var earlier = Auto(7);
        _clock.Advance(TimeSpan.FromMinutes(20));
        var options = new AutoRecoveryOptions { Guard = TimeSpan.FromMinutes(30) };

        var within = Decide([earlier], options: options);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var after = Decide([earlier], options: options);

        Assert.That(within.Reason, Does.EndWith("guard window of 30m"));
        Assert.That(after.Verdict, Is.EqualTo(AutoRecoveryVerdict.Start));
    }

    [Test]
    public void Decide_EarlierAutomaticRecoveryWasDeclined_DoesNotCountForTheGuard()
    {
        var declined = Auto(4, declined: true);
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.That(Decide([declined]).Verdict, Is.EqualTo(AutoRecoveryVerdict.Start));
    }

    [Test]
    public void Decide_ManualRecoveryWithinGuard_DoesNotCountForTheGuard()
    {
        var manual = new EarlierRecovery(5, false, false, false, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.That(Decide([manual]).Verdict, Is.EqualTo(AutoRecoveryVerdict.Start));
    }

    [Test]
    public void Decide_ARecoveryIsRunning_IgnoredAsAlreadyRunning()
    {
        var manual = new EarlierRecovery(9, false, true, false, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(2));

        var decision = Decide([manual]);

        Assert.That(decision.Verdict, Is.EqualTo(AutoRecoveryVerdict.Ignore));
        Assert.That(decision.Reason, Is.EqualTo("recovery 9 of this server is already running (started 2026-11-26T04:00:00Z)"));
    }

    [Test]
    public void Decide_RunningRecoveryAbandonedLongAgo_NoLongerBlocks()
    {
        var stale = new EarlierRecovery(9, false, true, false, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromHours(2));

        Assert.That(Decide([stale]).Verdict, Is.EqualTo(AutoRecoveryVerdict.Start));
    }

    [Test]
    public void Decide_FlavorDoesNotAsk_SkipsEvenWhenARecoveryRuns()
    {
        var running = Auto(1, inProgress: true);

        Assert.That(Decide([running], autoRecover: false).Verdict, Is.EqualTo(AutoRecoveryVerdict.Skip));
    }
}
