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
            return ExitCodes.Usage;
        }

        try
        {
            // The default handler would print a stack trace and exit 1; usage errors must be one line and exit 2.
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
    }
}
