using System.Globalization;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace KvmNovaTuner.HostTuning.Flavors;

/// <summary>
/// One catalog file (<c>flavors/*.yaml</c>): a list under <c>flavors:</c>, each flavor with <c>name</c>, <c>vcpus</c>,
/// <c>ram</c> (MB), <c>disk</c> (GB), <c>description</c> and <c>extra_specs</c>. Reading never throws for bad content:
/// shape problems come back as <see cref="FlavorProblem"/>s. Shared by <c>flavors validate</c> and <c>flavors sync</c>.
/// </summary>
public sealed record FlavorCatalogFile(string Path, IReadOnlyList<FlavorDefinition> Flavors, IReadOnlyList<FlavorProblem> ShapeProblems)
{
    private static readonly string[] Fields = ["name", "vcpus", "ram", "disk", "description", "extra_specs"];

    /// <summary>Reads a catalog file; an unreadable file is a usage error (<see cref="IOException"/> passes through).</summary>
    public static async Task<FlavorCatalogFile> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return Parse(path, text);
    }

    public static FlavorCatalogFile Parse(string path, string text)
    {
        var problems = new List<FlavorProblem>();
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return new FlavorCatalogFile(path, [], [Problem("(file)", "yaml", $"is not valid YAML at line {e.Start.Line}: {e.Message}")]);
        }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root
            || !root.Children.TryGetValue(new YamlScalarNode("flavors"), out var list) || list is not YamlSequenceNode sequence)
        {
            return new FlavorCatalogFile(path, [], [Problem("(file)", "flavors", "is missing: the file must hold a list under the key 'flavors:'")]);
        }
        var flavors = new List<FlavorDefinition>();
        var index = 0;
        foreach (var node in sequence.Children)
        {
            index++;
            if (node is not YamlMappingNode map)
            {
                problems.Add(Problem($"(flavor #{index})", "flavor", "is not a mapping of name, vcpus, ram, disk, description and extra_specs"));
                continue;
            }
            flavors.Add(ReadFlavor(map, index, problems));
        }
        return new FlavorCatalogFile(path, flavors, problems);
    }

    private static FlavorDefinition ReadFlavor(YamlMappingNode map, int index, List<FlavorProblem> problems)
    {
        var name = Scalar(map, "name");
        var label = string.IsNullOrWhiteSpace(name) ? $"(flavor #{index})" : name;
        foreach (var key in map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? string.Empty).Where(k => !Fields.Contains(k)))
        {
            problems.Add(Problem(label, key, $"is not a flavor field (expected {string.Join(", ", Fields)})"));
        }
        var specs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (map.Children.TryGetValue(new YamlScalarNode("extra_specs"), out var specNode))
        {
            if (specNode is YamlMappingNode specMap)
            {
                foreach (var (key, value) in specMap.Children)
                {
                    var specKey = (key as YamlScalarNode)?.Value ?? string.Empty;
                    if (value is YamlScalarNode { Value: { } scalar })
                    {
                        specs[specKey] = scalar;
                    }
                    else
                    {
                        problems.Add(Problem(label, specKey, "must be a single value (extra spec values are strings)"));
                    }
                }
            }
            else if (specNode is not YamlScalarNode { Value: null or "" or "~" })
            {
                problems.Add(Problem(label, "extra_specs", "must be a mapping of key: value"));
            }
        }
        return new FlavorDefinition(name, Int(map, "vcpus", label, problems), Int(map, "ram", label, problems), Int(map, "disk", label, problems), Scalar(map, "description"), specs);
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;

    private static int? Int(YamlMappingNode map, string key, string label, List<FlavorProblem> problems)
    {
        var text = Scalar(map, key);
        if (text is null)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        problems.Add(Problem(label, key, $"'{text}' is not a whole number"));
        return null;
    }

    private static FlavorProblem Problem(string flavor, string key, string message) => new(flavor, key, DiagnosticSeverity.Error, message);
}
