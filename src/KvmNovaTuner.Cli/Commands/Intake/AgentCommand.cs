using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Intake;

/// <summary>The `agent` verb.</summary>
public static class AgentCommand
{
    public static Command Create()
    {
        var command = new Command("agent", "Run the per-host agent until stopped (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'agent' is not implemented yet")));
        return command;
    }
}
