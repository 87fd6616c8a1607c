namespace KvmNovaTuner.Core.HostProfile;

/// <summary>
/// The KSM controller's tunables, after ksmtuned: evaluate every <see cref="MonitorInterval"/>; memory counts as short
/// when free memory is below the threshold (<see cref="ThresholdPercent"/> of RAM, at least <see cref="ThresholdFloorKb"/>);
/// <c>pages_to_scan</c> rises by <see cref="Boost"/> up to <see cref="MaxPagesToScan"/> while short and decays by
/// <see cref="Decay"/> down to <see cref="MinPagesToScan"/> otherwise; <c>sleep_millisecs</c> is
/// <see cref="SleepMillisecsPer16GiB"/> scaled to RAM (smaller hosts sleep longer), at least <see cref="MinSleepMillisecs"/>.
/// </summary>
public sealed record KsmPolicy
{
    public TimeSpan MonitorInterval { get; init; } = TimeSpan.FromSeconds(60);
    public int ThresholdPercent { get; init; } = 20;
    public long ThresholdFloorKb { get; init; }
    public long Boost { get; init; } = 300;
    public long Decay { get; init; } = 50;
    public long MinPagesToScan { get; init; } = 64;
    public long MaxPagesToScan { get; init; } = 1250;
    public long SleepMillisecsPer16GiB { get; init; } = 10;
    public long MinSleepMillisecs { get; init; } = 10;
}

/// <summary>What the KSM controller sees: memory (KiB), memory committed to guests, guests that opt out, and KSM now.</summary>
public sealed record KsmObservation(
    long TotalMemoryKb,
    long FreeMemoryKb,
    long CommittedGuestKb,
    int OptOutGuests,
    int CurrentRun,
    long CurrentPagesToScan);

/// <summary>
/// What KSM should be set to: <c>run</c> (0 stop, 1 run, 2 stop and unmerge), <c>pages_to_scan</c>, <c>sleep_millisecs</c>.
/// With <see cref="RunOnly"/> only <c>run</c> is to be written (the guard of a non-adaptive profile).
/// </summary>
public sealed record KsmDecision(int Run, long PagesToScan, long SleepMillisecs, string Reason, bool RunOnly = false);
