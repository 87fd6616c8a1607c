using KvmNovaTuner.Core.Progress;

namespace KvmNovaTuner.Cli.Progress;

/// <summary>
/// Shows a long verb's progress on stderr, never on stdout (which may carry JSON). On a terminal: one line rewritten
/// in place, at most every <see cref="TerminalInterval"/>. Otherwise (CI, pipes): a plain line at most every
/// <see cref="PlainInterval"/>, so short runs print only the final summary. <see cref="Complete"/> writes the summary.
/// Reports arrive on the working thread (no Progress&lt;T&gt; posting, which would reorder lines).
/// </summary>
public sealed class ProgressRenderer(TextWriter writer, bool terminal, ProgressWording wording, TimeProvider time) : IProgress<WorkProgress>
{
    public static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    // Carriage return, the line, then "erase to end of line" so a shorter line leaves no tail of the longer one.
    private const string EraseToEnd = "\u001b[K";

    private readonly DateTimeOffset _started = time.GetUtcNow();
    private DateTimeOffset? _lastWritten;
    private WorkProgress? _last;
    private bool _lineOpen;
    private bool _completed;

    public void Report(WorkProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_completed) return;
        _last = value;
        var now = time.GetUtcNow();
        if (terminal)
        {
            if (_lastWritten is { } at && now - at < TerminalInterval) return;
            writer.Write($"\r{wording.Format(value)}{EraseToEnd}");
            writer.Flush();
            _lineOpen = true;
        }
        else
        {
            if (now - (_lastWritten ?? _started) < PlainInterval) return;
            writer.WriteLine(wording.Format(value));
            writer.Flush();
        }
        _lastWritten = now;
    }

    /// <summary>Writes the final summary line (once); nothing when no progress was ever reported.</summary>
    public void Complete()
    {
        if (_completed || _last is not { } last) return;
        _completed = true;
        writer.WriteLine(terminal ? $"\r{wording.Format(last)}{EraseToEnd}" : wording.Format(last));
        writer.Flush();
        _lineOpen = false;
    }

    /// <summary>Ends an open terminal line without a summary (the verb failed): later error text starts on its own line.</summary>
    public void Abandon()
    {
        if (_completed) return;
        _completed = true;
        if (_lineOpen)
        {
            writer.WriteLine();
            writer.Flush();
        }
    }
}
