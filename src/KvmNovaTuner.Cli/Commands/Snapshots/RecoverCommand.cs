using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Snapshots;

/// <summary>The `recover` verb.</summary>
public static class RecoverCommand
{
    public static Command Create()
    {
        var command = new Command("recover", "Rebuild a server from its newest good snapshot (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'recover' is not implemented yet")));
        return command;
    }
}
