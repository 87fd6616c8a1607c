namespace KvmNovaTuner.HostTuning.Controllers;

/// <summary>The memory committed to guests on this host and how many guests opt out of KSM (<c>tuner:ksm=off</c> or realtime).</summary>
public sealed record GuestMemorySummary(long CommittedKb, int OptOutGuests);

/// <summary>Where the KSM controller learns about guests (the agent implements it from libvirt domains).</summary>
public interface IGuestMemorySource
{
    Task<GuestMemorySummary> GetAsync(CancellationToken cancellationToken = default);
}
