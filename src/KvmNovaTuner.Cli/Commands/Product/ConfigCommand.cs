using System.CommandLine;
using System.Text.Json;
using KvmNovaTuner.Agent.Configuration;

namespace KvmNovaTuner.Cli.Commands.Product;

/// <summary>The `config show` verb: the effective configuration (file, environment, overrides) with secrets redacted.</summary>
public static class ConfigCommand
{
    public static Command Create()
    {
        var show = new Command("show", "Print the effective configuration with secrets redacted; exit 1 when a setting is invalid");
        var arguments = new ConfigurationArguments();
        arguments.AddTo(show);
        var json = new Option<bool>("--json") { Description = "Machine-readable output" };
        show.Options.Add(json);
        show.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var configuration = arguments.Load(r);
            string? error = null;
            try
            {
                configuration.Validate();
            }
            catch (ConfigurationException e)
            {
                error = e.Message;
            }
            var rows = configuration.Describe();
            if (r.GetValue(json))
            {
                var doc = new
                {
                    file = configuration.File,
                    file_exists = configuration.FileExists,
                    valid = error is null,
                    errors = error?.Split("; ") ?? [],
                    settings = rows.Select(s => new { section = s.Section, key = s.Key, value = s.Value, source = s.Source }),
                };
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(doc));
            }
            else
            {
                await Console.Out.WriteLineAsync($"# effective configuration; file {configuration.File}{(configuration.FileExists ? "" : " (absent: defaults)")}");
                foreach (var section in rows.GroupBy(s => s.Section))
                {
                    await Console.Out.WriteLineAsync($"[{section.Key}]");
                    foreach (var s in section)
                    {
                        await Console.Out.WriteLineAsync($"{s.Key} = {s.Value}{(s.Source == "configured" ? "" : $"    # {s.Source}")}");
                    }
                }
            }
            if (error is not null)
            {
                await Console.Error.WriteLineAsync($"error: invalid configuration: {error}");
                return ExitCodes.Failure;
            }
            return ExitCodes.Success;
        });
        return new Command("config", "Inspect the agent configuration") { show };
    }
}
