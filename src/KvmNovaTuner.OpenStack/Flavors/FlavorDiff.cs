using KvmNovaTuner.OpenStack.Nova;

namespace KvmNovaTuner.OpenStack.Flavors;

/// <summary>Compares the catalog with the cloud's flavors (by name). Pure: no I/O.</summary>
public static class FlavorDiff
{
    public static IReadOnlyList<FlavorChange> Compute(IReadOnlyList<CatalogFlavor> catalog, IReadOnlyList<NovaFlavor> cloud)
    {
        var byName = cloud.GroupBy(f => f.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var taken = new HashSet<string>(cloud.Select(f => f.Name).Concat(catalog.Select(f => f.Name)), StringComparer.Ordinal);
        var changes = new List<FlavorChange>();
        foreach (var wanted in catalog)
        {
            if (!byName.TryGetValue(wanted.Name, out var existing))
            {
                changes.Add(new FlavorChange(wanted.Name, FlavorChangeKind.Create));
                continue;
            }
            var conflicts = Conflicts(wanted, existing).ToList();
            if (conflicts.Count > 0)
            {
                var suggested = SuggestName(wanted.Name, taken);
                taken.Add(suggested);
                changes.AddRange(conflicts.Select(c => c with { SuggestedName = suggested }));
                continue;
            }
            if (wanted.Description is not null && wanted.Description != existing.Description)
            {
                changes.Add(new FlavorChange(wanted.Name, FlavorChangeKind.DescriptionChanged, "description", existing.Description, wanted.Description));
            }
            foreach (var (key, value) in wanted.ExtraSpecs.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                if (!existing.ExtraSpecs.TryGetValue(key, out var old)) changes.Add(new FlavorChange(wanted.Name, FlavorChangeKind.ExtraSpecAdded, key, null, value));
                else if (old != value) changes.Add(new FlavorChange(wanted.Name, FlavorChangeKind.ExtraSpecChanged, key, old, value));
            }
            foreach (var (key, old) in existing.ExtraSpecs.Where(s => !wanted.ExtraSpecs.ContainsKey(s.Key)).OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                changes.Add(new FlavorChange(wanted.Name, FlavorChangeKind.ExtraSpecRemoved, key, old, null));
            }
        }
        return changes;
    }

    private static IEnumerable<FlavorChange> Conflicts(CatalogFlavor wanted, NovaFlavor existing)
    {
        if (wanted.Vcpus != existing.Vcpus) yield return Conflict(wanted.Name, "vcpus", existing.Vcpus, wanted.Vcpus);
        if (wanted.RamMb != existing.RamMb) yield return Conflict(wanted.Name, "ram", existing.RamMb, wanted.RamMb);
        if (wanted.DiskGb != existing.DiskGb) yield return Conflict(wanted.Name, "disk", existing.DiskGb, wanted.DiskGb);
    }

    private static FlavorChange Conflict(string name, string field, int cloud, int catalog) =>
        new(name, FlavorChangeKind.Conflict, field, cloud.ToString(System.Globalization.CultureInfo.InvariantCulture),
            catalog.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>name-v2, name-v3, ... (or bumps an existing -vN suffix), the first not used in the cloud or catalog.</summary>
    public static string SuggestName(string name, IReadOnlySet<string> taken)
    {
        var stem = name;
        var version = 2;
        var dash = name.LastIndexOf("-v", StringComparison.Ordinal);
        if (dash > 0 && int.TryParse(name[(dash + 2)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var current))
        {
            stem = name[..dash];
            version = current + 1;
        }
        while (taken.Contains($"{stem}-v{version}")) version++;
        return $"{stem}-v{version}";
    }
}
