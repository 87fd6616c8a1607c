using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Intake;

/// <summary>The `decode` verb.</summary>
public static class DecodeCommand
{
    public static Command Create()
    {
        var command = new Command("decode", "Decode Nova notifications from a file and print one JSON line per message (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'decode' is not implemented yet")));
        return command;
    }
}
