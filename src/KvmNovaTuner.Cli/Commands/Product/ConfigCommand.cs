using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Product;

/// <summary>The `config` verb.</summary>
public static class ConfigCommand
{
    public static Command Create()
    {
        var command = new Command("config", "Show the effective configuration (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'config' is not implemented yet")));
        return command;
    }
}
