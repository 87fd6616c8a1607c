using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Facts;
using KvmNovaTuner.HostTuning.Filesystem;

namespace KvmNovaTuner.HostTuning.Profiles;

/// <summary>A profile resolved and mapped onto one host: the items it manages there and what could not be mapped.</summary>
public sealed record HostProfilePlan(ResolvedProfile Profile, ProfileItems Items);

/// <summary>Resolves a named profile and maps it onto the host under a root (reads only).</summary>
public static class ProfilePlanning
{
    /// <param name="guests">Guests' hugepage needs: pools are never planned below their pages in use plus these.</param>
    public static async Task<HostProfilePlan> PlanAsync(HostRoot root, ProfileCatalog catalog, string profileName, CancellationToken cancellationToken = default,
        IReadOnlyList<GuestHugepageNeed>? guests = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var profile = catalog.Resolve(profileName);
        var facts = await new HostFactsReader(root).ReadAsync(cancellationToken).ConfigureAwait(false);
        return new HostProfilePlan(profile, ProfileItemPlanner.Plan(profile, facts, guests));
    }
}
