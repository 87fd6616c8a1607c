using System.CommandLine;
using KvmNovaTuner.Agent.Configuration;

namespace KvmNovaTuner.Cli.Commands.Product;

/// <summary>The <c>--config FILE</c> and <c>--set section.key=value</c> options shared by the verbs that read the agent configuration.</summary>
public sealed class ConfigurationArguments
{
    public Option<string?> ConfigFile { get; } = new("--config")
    {
        Description = $"Configuration file (default {SettingCatalog.DefaultConfigFile}, optional)",
        HelpName = "FILE",
    };

    public Option<string[]> Overrides { get; } = new("--set")
    {
        Description = "Override one setting, e.g. --set agent.health_listen=127.0.0.1:9800 (repeatable; wins over file and KVM_NOVA_TUNER__SECTION__KEY)",
        HelpName = "SECTION.KEY=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(ConfigFile);
        command.Options.Add(Overrides);
    }

    /// <summary>Loads the layered configuration; a missing file or malformed override is a usage error.</summary>
    public TunerConfiguration Load(ParseResult result, IReadOnlyList<string>? shortcuts = null)
    {
        try
        {
            // Verb shortcuts (e.g. agent --broker-url) come first so that an explicit --set still wins.
            return TunerConfiguration.Load(result.GetValue(ConfigFile), [.. shortcuts ?? [], .. result.GetValue(Overrides) ?? []]);
        }
        catch (ConfigurationException e)
        {
            throw new UsageException(e.Message);
        }
        catch (FormatException e)
        {
            throw new UsageException($"configuration file is not valid INI: {e.Message}");
        }
    }
}
