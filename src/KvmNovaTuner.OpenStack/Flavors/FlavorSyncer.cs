using KvmNovaTuner.OpenStack.Nova;

namespace KvmNovaTuner.OpenStack.Flavors;

/// <summary>Progress of a sync: flavors done out of the total, and the one just finished.</summary>
public sealed record FlavorSyncProgress(int Done, int Total, string Flavor);

/// <summary>
/// Applies a catalog to the cloud: creates missing flavors, updates descriptions, adds/changes/removes extra
/// specs. Conflicts (vcpus, ram, disk) are never "fixed" by deleting and recreating: they are only reported.
/// </summary>
public sealed class FlavorSyncer(NovaClient nova)
{
    public async Task<IReadOnlyList<FlavorChange>> PlanAsync(IReadOnlyList<CatalogFlavor> catalog, CancellationToken cancellationToken = default)
    {
        var cloud = await nova.ListFlavorsAsync(cancellationToken).ConfigureAwait(false);
        return FlavorDiff.Compute(catalog, cloud);
    }

    /// <summary>Applies every change except conflicts, flavor by flavor, reporting progress after each flavor.</summary>
    public async Task ApplyAsync(IReadOnlyList<CatalogFlavor> catalog, IReadOnlyList<FlavorChange> changes,
        IProgress<FlavorSyncProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var cloud = (await nova.ListFlavorsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(f => f.Name, StringComparer.Ordinal);
        var groups = changes.Where(c => c.Kind != FlavorChangeKind.Conflict).GroupBy(c => c.Flavor).ToList();
        var done = 0;
        foreach (var group in groups)
        {
            var wanted = catalog.Single(f => f.Name == group.Key);
            await ApplyFlavorAsync(wanted, cloud.GetValueOrDefault(wanted.Name), group.ToList(), cancellationToken).ConfigureAwait(false);
            progress?.Report(new FlavorSyncProgress(++done, groups.Count, wanted.Name));
        }
    }

    private async Task ApplyFlavorAsync(CatalogFlavor wanted, NovaFlavor? existing, IReadOnlyList<FlavorChange> changes, CancellationToken cancellationToken)
    {
        string flavorId;
        if (changes.Any(c => c.Kind == FlavorChangeKind.Create))
        {
            var created = await nova.CreateFlavorAsync(new FlavorSpec(wanted.Name, wanted.Vcpus, wanted.RamMb, wanted.DiskGb, wanted.Description), cancellationToken).ConfigureAwait(false);
            flavorId = created.Id;
            if (wanted.ExtraSpecs.Count > 0) await nova.SetExtraSpecsAsync(flavorId, wanted.ExtraSpecs, cancellationToken).ConfigureAwait(false);
            return;
        }
        flavorId = existing?.Id ?? throw new InvalidOperationException($"flavor {wanted.Name} vanished from the cloud during the sync");
        if (changes.Any(c => c.Kind == FlavorChangeKind.DescriptionChanged))
        {
            await nova.UpdateFlavorDescriptionAsync(flavorId, wanted.Description, cancellationToken).ConfigureAwait(false);
        }
        var upserts = changes.Where(c => c.Kind is FlavorChangeKind.ExtraSpecAdded or FlavorChangeKind.ExtraSpecChanged)
            .ToDictionary(c => c.Key!, c => c.NewValue!, StringComparer.Ordinal);
        if (upserts.Count > 0) await nova.SetExtraSpecsAsync(flavorId, upserts, cancellationToken).ConfigureAwait(false);
        foreach (var removed in changes.Where(c => c.Kind == FlavorChangeKind.ExtraSpecRemoved))
        {
            await nova.DeleteExtraSpecAsync(flavorId, removed.Key!, cancellationToken).ConfigureAwait(false);
        }
    }
}
