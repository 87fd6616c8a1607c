using System.Threading.Channels;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// An unbounded queue with one background loop that handles its items in order, off the caller's path (the intake
/// never waits for a Glance poll or a rebuild). Disposing stops the loop, cutting off the item in hand.
/// </summary>
public sealed class BackgroundQueue<T> : IAsyncDisposable
{
    private readonly Channel<T> _items = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="handle">Handles one item; it catches what it expects, since anything else ends the loop.</param>
    /// <param name="first">Runs once before the first item (e.g. a start-up scan).</param>
    public BackgroundQueue(Func<T, CancellationToken, Task> handle, Func<CancellationToken, Task>? first = null)
    {
        _loop = RunAsync(handle, first, _stop.Token);
    }

    /// <summary>Queues an item; false once the queue is stopped.</summary>
    public bool TryEnqueue(T item) => _items.Writer.TryWrite(item);

    private async Task RunAsync(Func<T, CancellationToken, Task> handle, Func<CancellationToken, Task>? first, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            if (first is not null) await first(cancellationToken).ConfigureAwait(false);
            await foreach (var item in _items.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await handle(item, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    public async ValueTask DisposeAsync()
    {
        _items.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped while handling an item
        }
        _stop.Dispose();
    }
}
