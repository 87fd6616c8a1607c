using KvmNovaTuner.Core.HostProfile;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.HostProfile;

public sealed class HugepagePoolControllerTests
{
    private static readonly HugepageBudget OneGiB = new(1024 * 1024);

    [Test]
    public void Grow_WithinBudget_GrowsToTheWantedTotal()
    {
        var decision = HugepagePoolPolicy.Grow(0, 2048, 256, [new PoolObservation(0, 2048, 100, 10)], OneGiB);
        Assert.Multiple(() =>
        {
            Assert.That(decision.NewTotal, Is.EqualTo(256));
            Assert.That(decision.ShortagePages, Is.Zero);
            Assert.That(decision.Changes, Is.True);
        });
    }

    [Test]
    public void Grow_BeyondBudget_GrowsToTheBudgetAndReportsShortage()
    {
        var decision = HugepagePoolPolicy.Grow(0, 2048, 600, [new PoolObservation(0, 2048, 100, 100)], OneGiB);
        Assert.Multiple(() =>
        {
            Assert.That(decision.NewTotal, Is.EqualTo(512));
            Assert.That(decision.ShortagePages, Is.EqualTo(88));
            Assert.That(decision.Reason, Does.Contain("88 pages short"));
        });
    }

    [Test]
    public void Grow_BudgetCountsOtherSizesOnTheSameNodeOnly()
    {
        var pools = new[]
        {
            new PoolObservation(0, 1048576, 0, 0),
            new PoolObservation(0, 2048, 256, 0),     // 512 MiB already in 2 MB pages on node 0
            new PoolObservation(1, 2048, 512, 512),   // node 1 does not count against node 0
        };
        var decision = HugepagePoolPolicy.Grow(0, 1048576, 1, pools, OneGiB);
        Assert.That(decision.ShortagePages, Is.EqualTo(1));
    }

    [Test]
    public void Grow_PerSizeCap_LimitsThatSizeOnly()
    {
        var budget = new HugepageBudget(1024 * 1024, new Dictionary<long, long> { [2048] = 128 });
        Assert.Multiple(() =>
        {
            Assert.That(HugepagePoolPolicy.Grow(0, 2048, 200, [], budget).NewTotal, Is.EqualTo(128));
            Assert.That(HugepagePoolPolicy.Grow(0, 1048576, 1, [], budget).NewTotal, Is.EqualTo(1));
        });
    }

    [Test]
    public void Grow_PoolAlreadyLargeEnough_NeverShrinks()
    {
        var decision = HugepagePoolPolicy.Grow(0, 2048, 50, [new PoolObservation(0, 2048, 100, 100)], OneGiB);
        Assert.Multiple(() =>
        {
            Assert.That(decision.Changes, Is.False);
            Assert.That(decision.NewTotal, Is.EqualTo(100));
        });
    }

    [Test]
    public void Grow_OverBudgetAlready_KeepsTheCurrentPool()
    {
        var decision = HugepagePoolPolicy.Grow(0, 2048, 1000, [new PoolObservation(0, 2048, 600, 0)], OneGiB);
        Assert.Multiple(() =>
        {
            Assert.That(decision.NewTotal, Is.EqualTo(600));
            Assert.That(decision.ShortagePages, Is.EqualTo(400));
        });
    }

    [TestCase(100, 40, 0, 60)]
    [TestCase(100, 40, 80, 80)]
    public void Shrink_ReleasesFreePagesDownToTheFloor(long total, long free, long floor, long expected)
    {
        Assert.That(HugepagePoolPolicy.Shrink(new PoolObservation(0, 2048, total, free), floor)?.NewTotal, Is.EqualTo(expected));
    }

    [Test]
    public void Shrink_NothingFreeAboveTheFloor_DecidesNothing()
    {
        Assert.That(HugepagePoolPolicy.Shrink(new PoolObservation(0, 2048, 100, 20), 100), Is.Null);
    }

    [Test]
    public void Shortfall_IsWhatTheKernelWithheld()
    {
        Assert.Multiple(() =>
        {
            Assert.That(HugepagePoolPolicy.Shortfall(512, 300), Is.EqualTo(212));
            Assert.That(HugepagePoolPolicy.Shortfall(512, 600), Is.Zero);
        });
    }

    [Test]
    public void Tick_UnusedPages_AreReleasedOnlyAfterTheGracePeriod()
    {
        var clock = new FakeTimeProvider();
        var controller = new HugepagePoolController(OneGiB, TimeSpan.FromMinutes(5));
        var pools = new[] { new PoolObservation(0, 2048, 100, 40) };
        Assert.That(controller.Tick(clock.GetUtcNow(), pools), Is.Empty);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.That(controller.Tick(clock.GetUtcNow(), pools), Is.Empty);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(controller.Tick(clock.GetUtcNow(), pools).Single().NewTotal, Is.EqualTo(60));
    }

    [Test]
    public void Tick_PagesUsedAgainBeforeTheGrace_ResetTheTimer()
    {
        var clock = new FakeTimeProvider();
        var controller = new HugepagePoolController(OneGiB, TimeSpan.FromMinutes(5));
        controller.Tick(clock.GetUtcNow(), [new PoolObservation(0, 2048, 100, 40)]);
        clock.Advance(TimeSpan.FromMinutes(3));
        controller.Tick(clock.GetUtcNow(), [new PoolObservation(0, 2048, 100, 0)]);
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.That(controller.Tick(clock.GetUtcNow(), [new PoolObservation(0, 2048, 100, 40)]), Is.Empty);
    }

    [Test]
    public void Tick_PoolGrownForABoot_IsNotShrunkBeforeTheBootHadItsGrace()
    {
        var clock = new FakeTimeProvider();
        var controller = new HugepagePoolController(OneGiB, TimeSpan.FromMinutes(5));
        var grown = controller.Grow(clock.GetUtcNow(), 0, 2048, 300, [new PoolObservation(0, 2048, 0, 0)]);
        var pools = new[] { new PoolObservation(0, 2048, grown.NewTotal, grown.NewTotal) };
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.That(controller.Tick(clock.GetUtcNow(), pools), Is.Empty, "the boot has not consumed its pages yet");
        clock.Advance(TimeSpan.FromMinutes(3));
        Assert.That(controller.Tick(clock.GetUtcNow(), pools).Single().NewTotal, Is.Zero, "the boot never came: pages released");
    }

    [Test]
    public void Tick_NeverShrinksBelowTheProfilesReservation()
    {
        var clock = new FakeTimeProvider();
        var floors = new Dictionary<(int, long), long> { [(0, 2048)] = 512 };
        var controller = new HugepagePoolController(OneGiB, TimeSpan.Zero, floors);
        var pools = new[] { new PoolObservation(0, 2048, 512, 512) };
        controller.Tick(clock.GetUtcNow(), pools);
        Assert.That(controller.Tick(clock.GetUtcNow(), pools), Is.Empty);
    }

    [Test]
    public void Budget_FractionOfNodeMemory()
    {
        Assert.That(HugepageBudget.FractionOf(16L * 1024 * 1024, 0.5).MaxPoolKbPerNode, Is.EqualTo(8L * 1024 * 1024));
    }
}
