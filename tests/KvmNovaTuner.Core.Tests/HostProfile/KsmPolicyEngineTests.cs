using KvmNovaTuner.Core.HostProfile;

namespace KvmNovaTuner.Core.Tests.HostProfile;

public sealed class KsmPolicyEngineTests
{
    private const long Total = 16L * 1024 * 1024; // 16 GiB in KiB; threshold 20 % = 3,355,443 kB
    private static readonly KsmPolicy Policy = new();

    private static KsmObservation Observe(long committed, long free, int optOut = 0, int run = 1, long pages = 100) =>
        new(Total, free, committed, optOut, run, pages);

    [Test]
    public void Decide_LittleCommittedAndPlentyFree_StopsKsm()
    {
        var decision = KsmPolicyEngine.Decide(Observe(committed: 4_000_000, free: 10_000_000), Policy);
        Assert.That(decision.Run, Is.EqualTo(0));
    }

    [Test]
    public void Decide_FreeBelowThreshold_BoostsPagesToScanBy300()
    {
        var decision = KsmPolicyEngine.Decide(Observe(committed: 15_000_000, free: 1_000_000, pages: 100), Policy);
        Assert.Multiple(() =>
        {
            Assert.That(decision.Run, Is.EqualTo(1));
            Assert.That(decision.PagesToScan, Is.EqualTo(400));
        });
    }

    [Test]
    public void Decide_Boost_IsCappedAt1250()
    {
        Assert.That(KsmPolicyEngine.Decide(Observe(15_000_000, 1_000_000, pages: 1100), Policy).PagesToScan, Is.EqualTo(1250));
    }

    [Test]
    public void Decide_CommittedHighButFreeAboveThreshold_DecaysBy50()
    {
        var decision = KsmPolicyEngine.Decide(Observe(committed: 15_000_000, free: 5_000_000, pages: 400), Policy);
        Assert.Multiple(() =>
        {
            Assert.That(decision.Run, Is.EqualTo(1));
            Assert.That(decision.PagesToScan, Is.EqualTo(350));
        });
    }

    [Test]
    public void Decide_Decay_StopsAt64()
    {
        Assert.That(KsmPolicyEngine.Decide(Observe(15_000_000, 5_000_000, pages: 80), Policy).PagesToScan, Is.EqualTo(64));
    }

    [Test]
    public void Decide_AnyOptOutGuest_StopsAndUnmerges()
    {
        var decision = KsmPolicyEngine.Decide(Observe(15_000_000, 1_000_000, optOut: 1), Policy);
        Assert.Multiple(() =>
        {
            Assert.That(decision.Run, Is.EqualTo(2));
            Assert.That(decision.Reason, Does.Contain("tuner:ksm=off or realtime"));
        });
    }

    [TestCase(16L * 1024 * 1024, 10L)]
    [TestCase(4L * 1024 * 1024, 40L)]
    [TestCase(64L * 1024 * 1024, 10L)]
    [TestCase(0L, 10L)]
    public void SleepMillisecs_ScalesInverselyWithMemory(long totalKb, long expected)
    {
        Assert.That(KsmPolicyEngine.SleepMillisecs(totalKb, Policy), Is.EqualTo(expected));
    }

    [Test]
    public void Threshold_IsTwentyPercentOrTheFloor()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KsmPolicyEngine.Threshold(10_000_000, Policy), Is.EqualTo(2_000_000));
            Assert.That(KsmPolicyEngine.Threshold(10_000_000, Policy with { ThresholdFloorKb = 2_048_000 }), Is.EqualTo(2_048_000));
        });
    }
}
