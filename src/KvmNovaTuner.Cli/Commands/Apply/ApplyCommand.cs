using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Apply;

/// <summary>The `apply` verb.</summary>
public static class ApplyCommand
{
    public static Command Create()
    {
        var command = new Command("apply", "Decode, plan and apply the first event in a notification file (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'apply' is not implemented yet")));
        return command;
    }
}
