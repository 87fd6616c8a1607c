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

    /// <summary>Loads the layered configuration; a missing, unreadable or malformed file or a malformed override is a usage error; unknown keys are warned on stderr.</summary>
    public TunerConfiguration Load(ParseResult result, IReadOnlyList<string>? shortcuts = null)
    {
        try
        {
            // Verb shortcuts (e.g. agent --broker-url) come first so that an explicit --set still wins.
            var configuration = TunerConfiguration.Load(result.GetValue(ConfigFile), [.. shortcuts ?? [], .. result.GetValue(Overrides) ?? []]);
            foreach (var unknown in configuration.UnknownSettings())
            {
                Console.Error.WriteLine($"warning: unknown setting {unknown} in {configuration.File} (ignored; see 'config show')");
            }
            return configuration;
        }
        catch (ConfigurationException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
