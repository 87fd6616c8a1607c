using KvmNovaTuner.Agent.Hosting;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>Graceful stop waits for in-flight work through this tracker.</summary>
public sealed class InFlightTrackerTests
{
    [Test]
    public void WaitIdle_NothingInFlight_CompletesAtOnce() =>
        Assert.That(new InFlightTracker().WaitIdleAsync().IsCompleted, Is.True);

    [Test]
    public async Task WaitIdle_CompletesOnlyWhenTheLastWorkEnds()
    {
        var tracker = new InFlightTracker();
        var first = tracker.Begin();
        var second = tracker.Begin();
        var idle = tracker.WaitIdleAsync();

        first.Dispose();
        first.Dispose(); // a second dispose must not count twice
        Assert.That(idle.IsCompleted, Is.False);
        Assert.That(tracker.Count, Is.EqualTo(1));

        second.Dispose();
        await idle.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.That(tracker.Count, Is.Zero);
    }

    [Test]
    public void WaitIdle_CancelledBeforeWorkEnds_Throws()
    {
        var tracker = new InFlightTracker();
        using var _ = tracker.Begin();
        using var cts = new CancellationTokenSource();
        var idle = tracker.WaitIdleAsync(cts.Token);
        cts.Cancel();
        Assert.That(async () => await idle, Throws.InstanceOf<OperationCanceledException>());
    }
}
