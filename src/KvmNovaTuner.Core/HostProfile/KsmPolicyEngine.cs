namespace KvmNovaTuner.Core.HostProfile;

/// <summary>One ksmtuned-style decision: a pure function of the observation and the policy.</summary>
public static class KsmPolicyEngine
{
    public static KsmDecision Decide(KsmObservation observation, KsmPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(observation);
        ArgumentNullException.ThrowIfNull(policy);
        var pages = Math.Clamp(observation.CurrentPagesToScan, policy.MinPagesToScan, policy.MaxPagesToScan);
        var sleep = SleepMillisecs(observation.TotalMemoryKb, policy);
        if (observation.OptOutGuests > 0)
        {
            return new KsmDecision(2, pages, sleep,
                $"{observation.OptOutGuests} guest(s) ask tuner:ksm=off or realtime: stop KSM and unmerge");
        }
        var threshold = Threshold(observation.TotalMemoryKb, policy);
        if (observation.CommittedGuestKb + threshold < observation.TotalMemoryKb && observation.FreeMemoryKb > threshold)
        {
            return new KsmDecision(0, pages, sleep,
                $"guests commit {observation.CommittedGuestKb} kB, free {observation.FreeMemoryKb} kB above threshold {threshold} kB: KSM not needed");
        }
        if (observation.FreeMemoryKb < threshold)
        {
            var boosted = Math.Min(pages + policy.Boost, policy.MaxPagesToScan);
            return new KsmDecision(1, boosted, sleep,
                $"free {observation.FreeMemoryKb} kB below threshold {threshold} kB: pages_to_scan {pages} -> {boosted}");
        }
        var decayed = Math.Max(pages - policy.Decay, policy.MinPagesToScan);
        return new KsmDecision(1, decayed, sleep,
            $"guests commit {observation.CommittedGuestKb} kB near total, free memory sufficient: pages_to_scan {pages} -> {decayed}");
    }

    /// <summary>The free-memory threshold in KiB: a share of RAM, never below the floor.</summary>
    public static long Threshold(long totalMemoryKb, KsmPolicy policy) =>
        Math.Max(totalMemoryKb * policy.ThresholdPercent / 100, policy.ThresholdFloorKb);

    /// <summary>The scan pause scaled to RAM: the per-16-GiB value times 16 GiB over RAM, at least the minimum.</summary>
    public static long SleepMillisecs(long totalMemoryKb, KsmPolicy policy)
    {
        const long sixteenGiBKb = 16L * 1024 * 1024;
        if (totalMemoryKb <= 0)
        {
            return policy.MinSleepMillisecs;
        }
        return Math.Max(policy.SleepMillisecsPer16GiB * sixteenGiBKb / totalMemoryKb, policy.MinSleepMillisecs);
    }
}
