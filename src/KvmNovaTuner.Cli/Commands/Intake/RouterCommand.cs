using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Intake;

/// <summary>The `router` verb.</summary>
public static class RouterCommand
{
    public static Command Create()
    {
        var command = new Command("router", "Republish Nova notifications to per-host routing keys until stopped (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'router' is not implemented yet")));
        return command;
    }
}
