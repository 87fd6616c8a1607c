using KvmNovaTuner.Core.HostProfile;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.HostProfile;

public sealed class KsmControllerTests
{
    private const long Total = 16L * 1024 * 1024;

    [Test]
    public void Tick_DecidesOncePerMonitorInterval()
    {
        var clock = new FakeTimeProvider();
        var controller = new KsmController(new KsmPolicy());
        var observation = new KsmObservation(Total, 1_000_000, 15_000_000, 0, 1, 100);
        Assert.That(controller.Tick(clock.GetUtcNow(), observation), Is.Not.Null);
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.That(controller.Tick(clock.GetUtcNow(), observation), Is.Null);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(controller.Tick(clock.GetUtcNow(), observation), Is.Not.Null);
    }

    [Test]
    public void Tick_OptOutGuestArriving_DecidesAtOnce()
    {
        var clock = new FakeTimeProvider();
        var controller = new KsmController(new KsmPolicy());
        controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 1_000_000, 15_000_000, 0, 1, 100));
        clock.Advance(TimeSpan.FromSeconds(5));
        var decision = controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 1_000_000, 15_000_000, 1, 1, 100));
        Assert.That(decision?.Run, Is.EqualTo(2));
    }

    [Test]
    public void Tick_LastOptOutGuestLeaving_RestartsKsmAtOnce()
    {
        var clock = new FakeTimeProvider();
        var controller = new KsmController(new KsmPolicy());
        controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 1_000_000, 15_000_000, 2, 2, 100));
        clock.Advance(TimeSpan.FromSeconds(1));
        var decision = controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 1_000_000, 15_000_000, 0, 2, 100));
        Assert.That(decision?.Run, Is.EqualTo(1));
    }

    [Test]
    public void Tick_MemoryStaysShort_PagesToScanClimbsToTheCapOverMinutes()
    {
        var clock = new FakeTimeProvider();
        var controller = new KsmController(new KsmPolicy());
        long pages = 64;
        var seen = new List<long>();
        for (var minute = 0; minute < 6; minute++)
        {
            var decision = controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 1_000_000, 15_000_000, 0, 1, pages));
            pages = decision!.PagesToScan;
            seen.Add(pages);
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.That(seen, Is.EqualTo(new long[] { 364, 664, 964, 1250, 1250, 1250 }));
    }

    [Test]
    public void Tick_PressureEnds_PagesToScanDecaysToTheFloor()
    {
        var clock = new FakeTimeProvider();
        var controller = new KsmController(new KsmPolicy());
        long pages = 200;
        for (var minute = 0; minute < 4; minute++)
        {
            pages = controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 5_000_000, 15_000_000, 0, 1, pages))!.PagesToScan;
            clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.That(pages, Is.EqualTo(64));
    }

    [Test]
    public void NextDue_IsOneIntervalAfterTheLastDecision()
    {
        var clock = new FakeTimeProvider();
        var controller = new KsmController(new KsmPolicy { MonitorInterval = TimeSpan.FromSeconds(30) });
        Assert.That(controller.NextDue, Is.Null);
        controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 1, 1, 0, 0, 100));
        Assert.That(controller.NextDue, Is.EqualTo(clock.GetUtcNow() + TimeSpan.FromSeconds(30)));
    }

    [Test]
    public void GuardOnly_LeavesKsmAloneWithoutOptOutGuests()
    {
        var clock = new FakeTimeProvider();
        var controller = new KsmController(new KsmPolicy(), adaptive: false);
        for (var minute = 0; minute < 3; minute++)
        {
            Assert.That(controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 1_000_000, 15_000_000, 0, 1, 100)), Is.Null);
            clock.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Test]
    public void GuardOnly_StopsRunningKsmWhileOptOutGuestsRun_AndRestartsItAfter()
    {
        var clock = new FakeTimeProvider();
        var controller = new KsmController(new KsmPolicy(), adaptive: false);
        var stop = controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 1_000_000, 15_000_000, 1, 1, 100));
        clock.Advance(TimeSpan.FromMinutes(1));
        var still = controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 1_000_000, 15_000_000, 1, 2, 100));
        clock.Advance(TimeSpan.FromMinutes(1));
        var restart = controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 1_000_000, 15_000_000, 0, 2, 100));
        Assert.Multiple(() =>
        {
            Assert.That(stop, Is.EqualTo(stop! with { Run = 2, RunOnly = true }));
            Assert.That(still, Is.Null);
            Assert.That(restart?.Run, Is.EqualTo(1));
            Assert.That(restart?.RunOnly, Is.True);
        });
    }

    [Test]
    public void GuardOnly_KsmAlreadyStopped_IsNotRestartedByTheGuard()
    {
        var clock = new FakeTimeProvider();
        var controller = new KsmController(new KsmPolicy(), adaptive: false);
        Assert.That(controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 1, 1, 1, 0, 100)), Is.Null);
        Assert.That(controller.Tick(clock.GetUtcNow(), new KsmObservation(Total, 1, 1, 0, 0, 100)), Is.Null);
    }
}
