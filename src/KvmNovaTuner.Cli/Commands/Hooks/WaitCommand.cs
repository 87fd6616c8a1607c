using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Hooks;

/// <summary>The `wait` verb.</summary>
public static class WaitCommand
{
    public static Command Create()
    {
        var command = new Command("wait", "Wait until a server's tuning status is final (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'wait' is not implemented yet")));
        return command;
    }
}
