using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Controllers;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Xml;

namespace KvmNovaTuner.Agent.Pipeline;

/// <summary>
/// What the KSM and hugepage controllers need to know of the guests, read from libvirt: the memory of running domains,
/// how many of them ask to stay out of KSM (<c>tuner:ksm=off</c> or realtime, from Nova's extra specs in the domain
/// XML), and the hugepages every defined domain needs (running or not).
/// </summary>
public sealed class LibvirtGuestMemory(Func<LibvirtConnection?> connection) : IGuestMemorySource
{
    public Task<GuestMemorySummary> GetAsync(CancellationToken cancellationToken = default)
    {
        if (connection() is not { } libvirt)
        {
            return Task.FromResult(new GuestMemorySummary(0, 0));
        }
        long committedKb = 0;
        var optOut = 0;
        var hugepages = new List<GuestHugepageNeed>();
        foreach (var domain in libvirt.ListAllDomains())
        {
            using (domain)
            {
                var active = domain.IsActive;
                var state = DomainReader.Read(domain.GetXml(), active);
                if (GuestHugepages.Need(state) is { } need)
                {
                    hugepages.Add(need);
                }
                if (!active)
                {
                    continue;
                }
                committedKb += state.MemoryKb;
                if (state.Nova?.ExtraSpecs is { } specs && FlavorDemand.FromExtraSpecs([specs]) is { } demand && (demand.KsmOff || demand.Realtime))
                {
                    optOut++;
                }
            }
        }
        return Task.FromResult(new GuestMemorySummary(committedKb, optOut) { Hugepages = hugepages });
    }
}
