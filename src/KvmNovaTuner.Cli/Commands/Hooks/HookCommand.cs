using System.CommandLine;

namespace KvmNovaTuner.Cli.Commands.Hooks;

/// <summary>The `hook` verb.</summary>
public static class HookCommand
{
    public static Command Create()
    {
        var command = new Command("hook", "The libvirt qemu hook entry point (not implemented yet)");
        command.SetAction((ParseResult _, CancellationToken _) => Task.FromException<int>(new UsageException("'hook' is not implemented yet")));
        return command;
    }
}
