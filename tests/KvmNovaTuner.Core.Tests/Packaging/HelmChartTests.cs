using System.Text.Json;
using KvmNovaTuner.Agent.Configuration;
using YamlDotNet.RepresentationModel;

namespace KvmNovaTuner.Core.Tests.Packaging;

/// <summary>
/// Static checks of charts/kvm-nova-tuner (Helm is not installed on these machines, so nothing is rendered by Helm):
/// every value a template uses is defined and described; every YAML file is well-formed; the DaemonSet keeps to the
/// privileges and mounts it needs; the ConfigMap renders a configuration the agent accepts.
/// </summary>
public sealed class HelmChartTests
{
    private static readonly string Chart = RepositoryFiles.PathOf("charts", "kvm-nova-tuner");

    private static IEnumerable<string> TemplateFiles() =>
        Directory.GetFiles(Path.Combine(Chart, "templates")).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".tpl", StringComparison.Ordinal)).Order();

    private static YamlMappingNode LoadYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Values => LoadYaml(File.ReadAllText(Path.Combine(Chart, "values.yaml")));

    private static YamlNode? FindValue(YamlMappingNode root, string path)
    {
        YamlNode? node = root;
        foreach (var part in path.Split('.'))
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(part), out node)) return null;
        }
        return node;
    }

    private static JsonElement? FindSchema(JsonElement schema, string path)
    {
        var node = schema;
        foreach (var part in path.Split('.'))
        {
            if (!node.TryGetProperty("properties", out var props) || !props.TryGetProperty(part, out node)) return null;
        }
        return node;
    }

    private static JsonDocument Schema() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Chart, "values.schema.json")));

    private static IEnumerable<string> Leaves(YamlMappingNode map, string prefix = "")
    {
        foreach (var (key, value) in map.Children)
        {
            var path = prefix + ((YamlScalarNode)key).Value;
            if (value is YamlMappingNode child && child.Children.Count > 0 && path is not ("agent.nodeSelector" or "agent.resources" or "router.resources"))
            {
                foreach (var leaf in Leaves(child, path + ".")) yield return leaf;
            }
            else
            {
                yield return path;
            }
        }
    }

    [Test]
    public void EveryValueATemplateUses_ExistsInValuesYamlAndInTheSchema()
    {
        var values = Values;
        using var schema = Schema();
        var used = TemplateFiles().SelectMany(f => HelmTemplateText.ValuePaths(File.ReadAllText(f))).Distinct().ToList();

        Assert.That(used, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(used.Where(p => FindValue(values, p) is null), Is.Empty, "used by a template but missing from values.yaml");
            Assert.That(used.Where(p => FindSchema(schema.RootElement, p) is null), Is.Empty, "used by a template but missing from values.schema.json");
        });
    }

    [Test]
    public void EveryLeafOfValuesYaml_IsDescribedInTheSchemaWithItsType()
    {
        using var schema = Schema();
        var problems = new List<string>();
        foreach (var leaf in Leaves(Values))
        {
            var node = FindValue(Values, leaf)!;
            if (FindSchema(schema.RootElement, leaf) is not { } s)
            {
                problems.Add($"{leaf}: not in schema");
                continue;
            }
            var type = s.GetProperty("type").GetString();
            var ok = node switch
            {
                YamlSequenceNode => type == "array",
                YamlMappingNode => type == "object",
                YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.DoubleQuoted or YamlDotNet.Core.ScalarStyle.SingleQuoted } => type == "string",
                YamlScalarNode scalar when bool.TryParse(scalar.Value, out _) => type == "boolean",
                YamlScalarNode scalar when long.TryParse(scalar.Value, out _) => type == "integer",
                _ => type == "string",
            };
            if (!ok) problems.Add($"{leaf}: schema type {type} does not match '{node}'");
            if (s.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => a.GetString() == node.ToString()))
            {
                problems.Add($"{leaf}: default '{node}' is not one of the schema's enum");
            }
        }
        Assert.That(problems, Is.Empty);
    }

    [Test]
    public void EveryYamlFile_IsWellFormedOnceDirectivesAreStripped()
    {
        var files = new[] { Path.Combine(Chart, "Chart.yaml"), Path.Combine(Chart, "values.yaml") }
            .Concat(TemplateFiles().Where(f => f.EndsWith(".yaml", StringComparison.Ordinal))).ToList();
        var problems = new List<string>();
        foreach (var file in files)
        {
            try
            {
                var doc = LoadYaml(HelmTemplateText.Strip(File.ReadAllText(file)));
                if (file.Contains("templates", StringComparison.Ordinal) && (!doc.Children.ContainsKey("apiVersion") || !doc.Children.ContainsKey("kind")))
                {
                    problems.Add($"{Path.GetFileName(file)}: no apiVersion/kind");
                }
            }
            catch (YamlDotNet.Core.YamlException e)
            {
                problems.Add($"{Path.GetFileName(file)}: {e.Message}");
            }
        }
        Assert.That(problems, Is.Empty);
        Assert.That(files, Has.Count.GreaterThanOrEqualTo(6));
    }

    [Test]
    public void Schema_IsJsonAndClosed()
    {
        using var schema = Schema();
        Assert.That(schema.RootElement.GetProperty("additionalProperties").GetBoolean(), Is.False, "typos in values must be rejected");
    }

    [Test]
    public void ConfigMap_RenderedWithDefaultValues_IsAConfigurationTheAgentAccepts()
    {
        var values = Values;
        var text = HelmTemplateText.Strip(File.ReadAllText(Path.Combine(Chart, "templates", "configmap.yaml")), p => FindValue(values, p)?.ToString());
        var ini = LoadYaml(text)["data"]["kvm-nova-tuner.conf"].ToString();
        var dir = Directory.CreateTempSubdirectory("knt-chart-");
        try
        {
            var file = Path.Combine(dir.FullName, "kvm-nova-tuner.conf");
            File.WriteAllText(file, ini);
            var options = TunerConfiguration.Load(file, [], new System.Collections.Hashtable(), "node-1").Validate();
            Assert.Multiple(() =>
            {
                Assert.That(ini, Does.Not.Contain("placeholder"));
                Assert.That(options.Host.Root, Is.EqualTo("/host"));
                Assert.That(options.Default.LogFormat, Is.EqualTo(LogFormat.Json));
                Assert.That(options.Agent.HealthListen, Is.EqualTo("0.0.0.0:9723"));
            });
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void DaemonSet_MountsSocketsAndHostRoot_KeepsPrivilegesNarrow_AndProbesHealthz()
    {
        var ds = LoadYaml(HelmTemplateText.Strip(File.ReadAllText(Path.Combine(Chart, "templates", "daemonset.yaml"))));
        var container = (YamlMappingNode)((YamlSequenceNode)ds["spec"]["template"]["spec"]["containers"])[0];
        var mounts = ((YamlSequenceNode)container["volumeMounts"]).Cast<YamlMappingNode>()
            .ToDictionary(m => m["mountPath"].ToString(), m => m.Children.TryGetValue(new YamlScalarNode("readOnly"), out var ro) && ro.ToString() == "true");
        var security = (YamlMappingNode)container["securityContext"];

        Assert.Multiple(() =>
        {
            Assert.That(mounts.Keys, Is.SupersetOf(new[] { "/var/run/libvirt", "/var/run/openvswitch", "/host/sys", "/host/proc" }));
            Assert.That(mounts["/host/sys"], Is.True, "host /sys is read-only except the tuned subtrees");
            Assert.That(mounts["/host/proc"], Is.True);
            Assert.That(mounts["/host/sys/kernel/mm"], Is.False, "KSM and THP are tuned");
            Assert.That(mounts["/host/proc/sys/vm"], Is.False, "nr_hugepages is tuned");
            Assert.That(security["privileged"].ToString(), Is.EqualTo("false"));
            Assert.That(security["allowPrivilegeEscalation"].ToString(), Is.EqualTo("false"));
            Assert.That(security["capabilities"]["drop"].ToString(), Does.Contain("ALL"));
            Assert.That(container["livenessProbe"]["httpGet"]["path"].ToString(), Is.EqualTo("/healthz"));
            Assert.That(container["readinessProbe"]["httpGet"]["path"].ToString(), Is.EqualTo("/healthz"));
        });
    }
}
