using KvmNovaTuner.Core.Secrets;
using Microsoft.Extensions.Configuration;

namespace KvmNovaTuner.Agent.Configuration;

/// <summary>
/// The effective value of every known setting (after file, environment and overrides), redacted for display,
/// plus any unknown keys found so typos are visible.
/// </summary>
public static class EffectiveConfiguration
{
    /// <summary>The source of a key found in the configuration that no setting of the catalog matches.</summary>
    public const string UnknownSource = "unknown";

    /// <summary>One row per setting, in catalog order, values already redacted.</summary>
    public static IReadOnlyList<EffectiveSetting> Describe(IConfiguration configuration, string machineHostName)
    {
        var rows = new List<EffectiveSetting>();
        foreach (var s in SettingCatalog.All)
        {
            var raw = configuration[s.Path];
            var value = s.Section == "DEFAULT" && s.Key == "host" && string.IsNullOrWhiteSpace(raw) ? machineHostName : raw;
            var source = string.IsNullOrWhiteSpace(raw) ? "default" : "configured";
            rows.Add(new EffectiveSetting(s.Section, s.Key, SecretRedactor.Redact(s.Key, string.IsNullOrWhiteSpace(value) ? s.Default : value), source));
        }
        foreach (var section in configuration.GetChildren())
        {
            foreach (var entry in section.GetChildren())
            {
                if (!SettingCatalog.All.Any(s => s.Section.Equals(section.Key, StringComparison.OrdinalIgnoreCase)
                        && s.Key.Equals(entry.Key, StringComparison.OrdinalIgnoreCase)))
                {
                    rows.Add(new EffectiveSetting(section.Key, entry.Key, SecretRedactor.Redact(entry.Key, entry.Value), UnknownSource));
                }
            }
        }
        return rows;
    }
}

/// <summary>One setting as `config show` prints it.</summary>
public sealed record EffectiveSetting(string Section, string Key, string? Value, string Source);
