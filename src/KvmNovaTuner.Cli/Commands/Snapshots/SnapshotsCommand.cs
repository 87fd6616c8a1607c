using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Snapshots;

/// <summary>The `snapshots` verb.</summary>
public static class SnapshotsCommand
{
    public static Command Create()
    {
        var command = new Command("snapshots", "List and prune snapshot recovery points (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'snapshots' is not implemented yet")));
        return command;
    }
}
