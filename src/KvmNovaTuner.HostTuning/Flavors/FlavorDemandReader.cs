using KvmNovaTuner.Core.HostProfile;
using YamlDotNet.RepresentationModel;

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
            var yaml = new YamlStream();
            using (var reader = new StringReader(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)))
            {
                yaml.Load(reader);
            }
            if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode top
                || !top.Children.TryGetValue(new YamlScalarNode("flavors"), out var list) || list is not YamlSequenceNode flavors)
            {
                throw new FormatException($"{file}: expected a list under 'flavors:'");
            }
            specs.AddRange(flavors.Children.OfType<YamlMappingNode>().Select(ExtraSpecs));
        }
        return FlavorDemand.FromExtraSpecs(specs);
    }

    private static IEnumerable<string> Expand(string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.yaml").Concat(Directory.EnumerateFiles(path, "*.yml")).Order(StringComparer.Ordinal)
            : File.Exists(path) ? [path] : throw new FileNotFoundException($"flavor file not found: {path}", path);

    private static Dictionary<string, string> ExtraSpecs(YamlMappingNode flavor)
    {
        var specs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (flavor.Children.TryGetValue(new YamlScalarNode("extra_specs"), out var node) && node is YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
            {
                if (key is YamlScalarNode { Value: { } k } && value is YamlScalarNode { Value: { } v })
                {
                    specs[k] = v;
                }
            }
        }
        return specs;
    }
}
