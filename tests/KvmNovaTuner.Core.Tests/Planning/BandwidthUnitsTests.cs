using KvmNovaTuner.Core.Planning;

namespace KvmNovaTuner.Core.Tests.Planning;

public sealed class BandwidthUnitsTests
{
    [TestCase(1000, 8000)]
    [TestCase(12500, 100000)]
    public void OutboundAverage_KBps_IsKbitPerSecondTimes8(long kBps, long kbit) => Assert.That(BandwidthUnits.PolicingRateKbit(kBps), Is.EqualTo(kbit));

    [TestCase(100, 800)]
    public void OutboundBurst_KB_IsKbitTimes8(long kB, long kbit) => Assert.That(BandwidthUnits.PolicingBurstKbit(kB), Is.EqualTo(kbit));

    [TestCase(1000, 8_000_000)]
    [TestCase(125000, 1_000_000_000)]
    public void InboundRate_KBps_IsBitPerSecondTimes8000(long kBps, long bits) => Assert.That(BandwidthUnits.HtbRateBits(kBps), Is.EqualTo(bits));

    [TestCase(100, 819_200)]
    public void InboundBurst_KiB_IsBitsTimes8192(long kib, long bits) => Assert.That(BandwidthUnits.HtbBurstBits(kib), Is.EqualTo(bits));

    [TestCase(1000, 1_000_000)]
    public void PolicerCir_KBps_IsBytesPerSecondTimes1000(long kBps, long bytes) => Assert.That(BandwidthUnits.PolicerCirBytes(kBps), Is.EqualTo(bytes));

    [TestCase(100, 102_400)]
    public void PolicerCbs_KiB_IsBytesTimes1024(long kib, long bytes) => Assert.That(BandwidthUnits.PolicerCbsBytes(kib), Is.EqualTo(bytes));

    [Test]
    public void Conversion_Overflowing_Throws() => Assert.Throws<OverflowException>(() => BandwidthUnits.HtbRateBits(long.MaxValue / 10));
}
