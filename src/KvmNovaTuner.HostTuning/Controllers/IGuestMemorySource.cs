namespace KvmNovaTuner.HostTuning.Controllers;

/// <summary>
/// The memory committed to guests on this host, how many guests opt out of KSM (<c>tuner:ksm=off</c> or realtime),
/// and the hugepages guests defined on the host need (running or not), which no pool may be lowered below.
/// </summary>
public sealed record GuestMemorySummary(long CommittedKb, int OptOutGuests)
{
    public IReadOnlyList<Core.HostProfile.GuestHugepageNeed> Hugepages { get; init; } = [];
}

/// <summary>Where the KSM and hugepage controllers learn about guests (the agent implements it from libvirt domains).</summary>
public interface IGuestMemorySource
{
    Task<GuestMemorySummary> GetAsync(CancellationToken cancellationToken = default);
}
