using KvmNovaTuner.HostTuning.Controllers;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

/// <summary>Guests as the KSM controller sees them, set by the test (what the agent reads from libvirt).</summary>
internal sealed class FakeGuests(long committedKb = 0, int optOutGuests = 0) : IGuestMemorySource
{
    public GuestMemorySummary Summary { get; set; } = new(committedKb, optOutGuests);

    public Task<GuestMemorySummary> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Summary);
}
