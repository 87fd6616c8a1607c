using System.CommandLine;

namespace KvmNovaTuner.Cli;

/// <summary>Parses and runs a command line with the tuner's exit-code contract: 0 success, 1 failure found, 2 usage or environment error.</summary>
public static class CliRunner
{
    public static async Task<int> RunAsync(RootCommand root, string[] args, CancellationToken cancellationToken = default)
    {
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && parsed.Action is not System.CommandLine.Help.HelpAction)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}");
            }
            await Console.Error.WriteLineAsync("Try '--help' for usage.");
            // libvirt refuses to start a guest whose hook exits non-zero: a bad hook command line must not do that.
            return parsed.CommandResult.Command.Name == "hook" ? Commands.Hooks.HookCommand.ExitCodeForUsageError : ExitCodes.Usage;
        }

        try
        {
            // Generic Host verbs handle SIGTERM themselves (graceful stop within their own shutdown timeout);
            // System.CommandLine's handler would end the process 2 s after the signal.
            var hosted = parsed.CommandResult.Command.Name is "agent" or "router";
            // The default exception handler would print UsageException as an unhandled stack trace (exit 1).
            var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            if (hosted)
            {
                configuration.ProcessTerminationTimeout = null;
            }
            return await parsed.InvokeAsync(configuration, cancellationToken);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (Agent.Configuration.ConfigurationException e)
        {
            // Thrown where a verb validates later than its loading (e.g. while the agent's host is built).
            await Console.Error.WriteLineAsync($"error: invalid configuration: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}
