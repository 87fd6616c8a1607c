using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Planning;

/// <summary>The `plan` verb.</summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var command = new Command("plan", "Print the plan for the first event in a notification file (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'plan' is not implemented yet")));
        return command;
    }
}
