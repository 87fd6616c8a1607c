using System.Collections;
using Microsoft.Extensions.Configuration;

namespace KvmNovaTuner.Agent.Configuration;

/// <summary>The layered configuration and where it came from, with the validated options read from it.</summary>
public sealed record TunerConfiguration(IConfigurationRoot Raw, string File, bool FileExists, string MachineHostName)
{
    /// <summary>Loads the layers (file, environment, overrides); throws <see cref="ConfigurationException"/> on a missing named file or a bad override.</summary>
    public static TunerConfiguration Load(string? configFile, IEnumerable<string> overrides, IDictionary? environment = null, string? machineHostName = null)
    {
        var raw = ConfigurationLoader.Build(configFile, overrides, environment);
        var file = configFile ?? SettingCatalog.DefaultConfigFile;
        return new TunerConfiguration(raw, file, System.IO.File.Exists(file), machineHostName ?? System.Net.Dns.GetHostName());
    }

    /// <summary>Validates and returns the options, or throws one <see cref="ConfigurationException"/> naming every bad setting.</summary>
    public TunerOptions Validate() => new TunerOptionsReader(Raw, MachineHostName).Read();

    /// <summary>Settings no part of the tuner reads (typos, removed keys), as <c>[section] key</c>.</summary>
    public IReadOnlyList<string> UnknownSettings() =>
        [.. Describe().Where(s => s.Source == EffectiveConfiguration.UnknownSource).Select(s => $"[{s.Section}] {s.Key}")];

    public IReadOnlyList<EffectiveSetting> Describe() => EffectiveConfiguration.Describe(Raw, MachineHostName);
}
