using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Flavors;

/// <summary>The `flavors` verb: a parent of the catalog subcommands.</summary>
public static class FlavorsCommand
{
    public static Command Create()
    {
        var command = new Command("flavors", "Validate (and sync) the tuned flavor catalog");
        command.Subcommands.Add(FlavorsValidateCommand.Create());
        command.Subcommands.Add(FlavorsSyncCommand.Create());
        return command;
    }
}
