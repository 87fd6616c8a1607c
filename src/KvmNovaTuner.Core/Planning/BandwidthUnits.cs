namespace KvmNovaTuner.Core.Planning;

/// <summary>
/// Nova's <c>quota:vif_*</c> units (kilobytes per second, kilobytes) converted exactly as libvirt converts
/// <c>&lt;bandwidth&gt;</c> for an OVS port, so the tuner and libvirt agree on one flavor.
/// </summary>
public static class BandwidthUnits
{
    /// <summary>Outbound average kB/s → <c>ingress_policing_rate</c> kbit/s (×8).</summary>
    public static long PolicingRateKbit(long averageKBps) => checked(averageKBps * 8);

    /// <summary>Outbound burst kB → <c>ingress_policing_burst</c> kbit (×8).</summary>
    public static long PolicingBurstKbit(long burstKB) => checked(burstKB * 8);

    /// <summary>Inbound average or peak kB/s → linux-htb <c>min-rate</c>/<c>max-rate</c> bit/s (×8000).</summary>
    public static long HtbRateBits(long rateKBps) => checked(rateKBps * 8000);

    /// <summary>Inbound burst KiB → linux-htb <c>burst</c> bits (×8192).</summary>
    public static long HtbBurstBits(long burstKiB) => checked(burstKiB * 8192);

    /// <summary>Inbound average kB/s → egress-policer <c>cir</c> bytes/s (×1000).</summary>
    public static long PolicerCirBytes(long averageKBps) => checked(averageKBps * 1000);

    /// <summary>Inbound burst KiB → egress-policer <c>cbs</c> bytes (×1024).</summary>
    public static long PolicerCbsBytes(long burstKiB) => checked(burstKiB * 1024);
}
