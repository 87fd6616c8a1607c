using System.CommandLine;
using KvmNovaTuner.Core.Progress;

namespace KvmNovaTuner.Cli.Progress;

/// <summary>The <c>--no-progress</c> option the long verbs share, and the renderer they get on stderr.</summary>
public static class CliProgress
{
    public static readonly Option<bool> NoProgress = new("--no-progress") { Description = "Show no progress line on stderr (stdout is unaffected either way)" };

    /// <summary>A renderer on stderr, or null with --no-progress. A terminal gets the in-place line; a pipe or file gets plain lines.</summary>
    public static ProgressRenderer? For(ParseResult parse, ProgressWording wording)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(NoProgress)) return null;
        var terminal = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not ("dumb" or "");
        return new ProgressRenderer(Console.Error, terminal, wording, TimeProvider.System);
    }

    /// <summary>Runs <paramref name="work"/> with the renderer, writing the summary on success and closing the line on failure.</summary>
    public static async Task<T> RunAsync<T>(ProgressRenderer? renderer, Func<IProgress<WorkProgress>?, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            var result = await work(renderer);
            renderer?.Complete();
            return result;
        }
        catch
        {
            renderer?.Abandon();
            throw;
        }
    }
}
