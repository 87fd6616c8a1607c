using System.Collections;
using Microsoft.Extensions.Configuration;

namespace KvmNovaTuner.Agent.Configuration;

/// <summary>
/// Layers the configuration sources, lowest first: the INI file, KVM_NOVA_TUNER__SECTION__KEY environment
/// variables, then command-line overrides (<c>section.key=value</c>).
/// </summary>
public static class ConfigurationLoader
{
    /// <summary>Builds the layered configuration. An explicitly named file must exist; the default file is optional.</summary>
    public static IConfigurationRoot Build(
        string? configFile,
        IEnumerable<string> overrides,
        IDictionary? environment = null)
    {
        var file = configFile ?? SettingCatalog.DefaultConfigFile;
        var builder = new ConfigurationBuilder();
        var ini = ConfigurationFile.Read(file, required: configFile is not null);
        if (ini is not null)
        {
            builder.AddIniStream(new MemoryStream(ini));
        }
        builder.AddInMemoryCollection(LastWins(FromEnvironment(environment ?? Environment.GetEnvironmentVariables())));
        builder.AddInMemoryCollection(LastWins(FromOverrides(overrides)));
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (e is FormatException or InvalidDataException)
        {
            // The INI reader's own words ("Unrecognized line format", "A duplicate key 'agent:state_dir' was found").
            throw new ConfigurationException($"configuration file '{file}' is not valid INI: {(e.InnerException ?? e).Message}");
        }
    }

    /// <summary>A repeated key keeps its last value (as a later --set overrides an earlier one).</summary>
    private static Dictionary<string, string?> LastWins(IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in pairs) result[key] = value;
        return result;
    }

    private static IEnumerable<KeyValuePair<string, string?>> FromEnvironment(IDictionary environment)
    {
        foreach (DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(SettingCatalog.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var path = name[SettingCatalog.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal);
                yield return new(path, entry.Value as string);
            }
        }
    }

    private static IEnumerable<KeyValuePair<string, string?>> FromOverrides(IEnumerable<string> overrides)
    {
        foreach (var text in overrides)
        {
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            var dot = eq > 0 ? text.LastIndexOf('.', eq - 1) : -1;
            if (eq <= 0 || dot <= 0)
            {
                throw new ConfigurationException($"override '{text}' is not of the form section.key=value");
            }
            yield return new($"{text[..dot]}:{text[(dot + 1)..eq]}", text[(eq + 1)..]);
        }
    }
}

/// <summary>A configuration problem that names the setting and the bad value (never a secret).</summary>
public sealed class ConfigurationException(string message) : Exception(message);
