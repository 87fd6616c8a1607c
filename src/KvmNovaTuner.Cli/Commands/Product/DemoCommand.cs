using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Product;

/// <summary>The `demo` verb.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Run the self-contained demo (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'demo' is not implemented yet")));
        return command;
    }
}
