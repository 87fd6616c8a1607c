using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Flavors;

/// <summary>The `flavors` verb.</summary>
public static class FlavorsCommand
{
    public static Command Create()
    {
        var command = new Command("flavors", "Validate and sync tuned flavors (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'flavors' is not implemented yet")));
        return command;
    }
}
