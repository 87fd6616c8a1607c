using KvmNovaTuner.Agent.Pipeline;
using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.Libvirt;

namespace KvmNovaTuner.Cli.Commands.Host;

/// <summary>The hugepages the guests defined in libvirt need, for `host apply`; a libvirt that cannot be reached is a note, not an error.</summary>
internal static class GuestHugepageNeeds
{
    public static async Task<IReadOnlyList<GuestHugepageNeed>> ReadAsync(string uri, List<string> notes, CancellationToken cancellationToken)
    {
        if (uri == "none")
        {
            notes.Add("guests' hugepage needs not read (--libvirt-uri none): only pages in use are kept");
            return [];
        }
        try
        {
            using var connection = LibvirtConnection.Open(uri);
            return (await new LibvirtGuestMemory(() => connection).GetAsync(cancellationToken)).Hugepages;
        }
        catch (Exception e) when (e is LibvirtException or FormatException)
        {
            notes.Add($"guests' hugepage needs unknown (libvirt {uri}: {e.Message}): only pages in use are kept");
            return [];
        }
    }
}
