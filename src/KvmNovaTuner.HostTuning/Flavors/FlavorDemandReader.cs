using KvmNovaTuner.Core.HostProfile;

namespace KvmNovaTuner.HostTuning.Flavors;

/// <summary>
/// Reads the extra specs of the flavors a host serves from flavor catalog YAML files (a list under <c>flavors:</c>, each
/// with <c>extra_specs</c>) and turns them into the host's <see cref="FlavorDemand"/>.
/// </summary>
public static class FlavorDemandReader
{
    /// <summary>The demand of every flavor in the files (directories contribute their <c>*.yaml</c> files); none when no path is given.</summary>
    public static async Task<FlavorDemand> ReadAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0)
        {
            return FlavorDemand.None;
        }
        var specs = new List<IReadOnlyDictionary<string, string>>();
        foreach (var file in paths.SelectMany(Expand))
        {
            var catalog = await FlavorCatalogFile.ReadAsync(file, cancellationToken).ConfigureAwait(false);
            if (catalog.ShapeProblems.FirstOrDefault(p => p.Flavor == "(file)") is { } unreadable)
            {
                throw new FormatException($"{file}: {unreadable.Key} {unreadable.Message}");
            }
            specs.AddRange(catalog.Flavors.Select(f => f.ExtraSpecs));
        }
        return FlavorDemand.FromExtraSpecs(specs);
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.yaml").Concat(Directory.EnumerateFiles(path, "*.yml")).Order(StringComparer.Ordinal)
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"flavor file not found: {path}", path);
}
