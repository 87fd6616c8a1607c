using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Host;

/// <summary>The `host` verb.</summary>
public static class HostCommand
{
    public static Command Create()
    {
        var command = new Command("host", "Audit, apply, verify and roll back the host profile (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'host' is not implemented yet")));
        return command;
    }
}
