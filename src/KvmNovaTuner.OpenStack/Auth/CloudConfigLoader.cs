using YamlDotNet.RepresentationModel;

namespace KvmNovaTuner.OpenStack.Auth;

/// <summary>
/// Reads credentials the way OpenStack clients do: a named cloud (argument, else <c>OS_CLOUD</c>) from the
/// first clouds.yaml found (<c>OS_CLIENT_CONFIG_FILE</c>, ./clouds.yaml, ~/.config/openstack/clouds.yaml,
/// /etc/openstack/clouds.yaml), else the <c>OS_*</c> variables.
/// </summary>
public sealed class CloudConfigLoader(Func<string, string?> environment, string currentDirectory, string homeDirectory)
{
    /// <summary>
    /// A loader over the process environment and the usual directories; <paramref name="cloudsYaml"/> (a configured
    /// path, e.g. the agent's <c>[openstack] clouds_yaml</c>) is searched first, like <c>OS_CLIENT_CONFIG_FILE</c>.
    /// </summary>
    public static CloudConfigLoader ForProcess(string? cloudsYaml = null) => new(
        name => name == "OS_CLIENT_CONFIG_FILE" && cloudsYaml is { Length: > 0 } ? cloudsYaml : Environment.GetEnvironmentVariable(name),
        Directory.GetCurrentDirectory(),
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The clouds.yaml candidates in search order.</summary>
    public IReadOnlyList<string> SearchPath()
    {
        var paths = new List<string>();
        if (environment("OS_CLIENT_CONFIG_FILE") is { Length: > 0 } explicitFile) paths.Add(explicitFile);
        paths.Add(Path.Combine(currentDirectory, "clouds.yaml"));
        paths.Add(Path.Combine(homeDirectory, ".config", "openstack", "clouds.yaml"));
        paths.Add("/etc/openstack/clouds.yaml");
        return paths;
    }

    public CloudCredentials Load(string? cloudName = null)
    {
        var name = cloudName is { Length: > 0 } ? cloudName : environment("OS_CLOUD");
        if (name is { Length: > 0 }) return LoadFromCloudsYaml(name);
        if (environment("OS_AUTH_URL") is { Length: > 0 }) return OsEnvironmentCredentials.Read(environment);
        throw new CloudConfigException("no cloud configured: pass --cloud NAME, set OS_CLOUD, or set OS_AUTH_URL and the other OS_* variables");
    }

    private CloudCredentials LoadFromCloudsYaml(string name)
    {
        var searched = SearchPath();
        foreach (var path in searched.Where(File.Exists))
        {
            var clouds = ReadClouds(path);
            if (clouds is not null && clouds.Children.TryGetValue(new YamlScalarNode(name), out var node) && node is YamlMappingNode cloud)
            {
                return CloudsYamlEntry.Parse(name, cloud, path);
            }
        }
        throw new CloudConfigException($"cloud '{name}' not found in clouds.yaml (searched {string.Join(", ", searched)})");
    }

    private static YamlMappingNode? ReadClouds(string path)
    {
        using var reader = new StreamReader(path);
        var yaml = new YamlStream();
        try
        {
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new CloudConfigException($"{path} is not valid YAML: {e.Message}");
        }
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is not YamlMappingNode root) return null;
        return root.Children.TryGetValue(new YamlScalarNode("clouds"), out var clouds) ? clouds as YamlMappingNode : null;
    }
}
