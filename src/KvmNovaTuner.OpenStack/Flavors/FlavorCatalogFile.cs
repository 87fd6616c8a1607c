using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace KvmNovaTuner.OpenStack.Flavors;

/// <summary>A catalog file or flavor entry that cannot be read.</summary>
public sealed class FlavorCatalogException(string message) : Exception(message);

/// <summary>
/// Reads catalog files: <c>flavors:</c>, a list of <c>name</c>, <c>vcpus</c>, <c>ram</c> (MB), <c>disk</c> (GB),
/// <c>description</c> and <c>extra_specs</c> (a map; values are kept as the strings Nova stores).
/// Directories are read for their *.yaml / *.yml files.
/// </summary>
public static class FlavorCatalogFile
{
    public static IReadOnlyList<CatalogFlavor> Load(IEnumerable<string> paths)
    {
        var flavors = new List<CatalogFlavor>();
        foreach (var path in paths)
        {
            IEnumerable<string> files = Directory.Exists(path)
                ? Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
                : File.Exists(path) ? [path] : throw new FlavorCatalogException($"{path} does not exist");
            foreach (var file in files) flavors.AddRange(Parse(File.ReadAllText(file), file));
        }
        var duplicate = flavors.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new FlavorCatalogException($"flavor '{duplicate.Key}' is declared more than once ({string.Join(", ", duplicate.Select(f => f.SourceFile).Distinct())})");
        }
        return flavors;
    }

    public static IReadOnlyList<CatalogFlavor> Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FlavorCatalogException($"{source}: not valid YAML ({e.Message})");
        }
        if (stream.Documents.Count == 0) return [];
        if (stream.Documents[0].RootNode is not YamlMappingNode root || !root.Children.TryGetValue(new YamlScalarNode("flavors"), out var list) || list is not YamlSequenceNode items)
        {
            throw new FlavorCatalogException($"{source}: expected a top-level 'flavors:' list");
        }
        return items.Children.Select((node, i) => Entry(node, $"{source} flavors[{i}]", source)).ToList();
    }

    private static CatalogFlavor Entry(YamlNode node, string where, string source)
    {
        if (node is not YamlMappingNode map) throw new FlavorCatalogException($"{where}: expected a mapping");
        string? Text(string key) => map.Children.TryGetValue(new YamlScalarNode(key), out var v) && v is YamlScalarNode s ? s.Value : null;
        int Number(string key, int min)
        {
            var text = Text(key);
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min)
            {
                throw new FlavorCatalogException($"{where}: '{key}' must be a whole number >= {min} (got '{text ?? "nothing"}')");
            }
            return value;
        }
        var name = Text("name") is { Length: > 0 } n ? n : throw new FlavorCatalogException($"{where}: 'name' is missing");
        var specs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map.Children.TryGetValue(new YamlScalarNode("extra_specs"), out var specNode) && specNode is YamlMappingNode specMap)
        {
            foreach (var (k, v) in specMap.Children) specs[((YamlScalarNode)k).Value!] = (v as YamlScalarNode)?.Value ?? "";
        }
        return new CatalogFlavor(name, Number("vcpus", 1), Number("ram", 1), Number("disk", 0), Text("description"), specs, source);
    }
}
