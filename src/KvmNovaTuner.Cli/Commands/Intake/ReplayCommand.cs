using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Intake;

/// <summary>The `replay` verb.</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var command = new Command("replay", "Feed a JSON-lines file of notifications through the pipeline (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'replay' is not implemented yet")));
        return command;
    }
}
