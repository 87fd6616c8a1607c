namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// Counts events being handled so a graceful stop can wait for them to finish. Every handler wraps its
/// work in <see cref="Begin"/>; the stop path awaits <see cref="WaitIdleAsync"/>.
/// </summary>
public sealed class InFlightTracker
{
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource _idle = NewCompleted();

    public int Count
    {
        get { lock (_gate) return _count; }
    }

    /// <summary>Marks one unit of work as started; dispose the result when it ends.</summary>
    public IDisposable Begin()
    {
        lock (_gate)
        {
            if (_count++ == 0) _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        return new Token(this);
    }

    /// <summary>Completes when no work is in flight (or throws when <paramref name="cancellationToken"/> fires first).</summary>
    public Task WaitIdleAsync(CancellationToken cancellationToken = default)
    {
        Task idle;
        lock (_gate) idle = _idle.Task;
        return idle.WaitAsync(cancellationToken);
    }

    private void End()
    {
        TaskCompletionSource? done = null;
        lock (_gate)
        {
            if (--_count == 0) done = _idle;
        }
        done?.TrySetResult();
    }

    private static TaskCompletionSource NewCompleted()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }

    private sealed class Token(InFlightTracker owner) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.End();
        }
    }
}
