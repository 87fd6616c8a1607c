using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Apply;

/// <summary>The `reconcile` verb.</summary>
public static class ReconcileCommand
{
    public static Command Create()
    {
        var command = new Command("reconcile", "Bring every local domain in line with its flavor (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'reconcile' is not implemented yet")));
        return command;
    }
}
