using System.Collections.Concurrent;
using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Core.Tests.Hooks;

/// <summary>A temp directory with the hook socket, spool and state, and a listener whose handler records what it sees.</summary>
internal sealed class ListenerHarness : IAsyncDisposable, IInstanceEventHandler
{
    private readonly ConcurrentQueue<InstanceEvent> _seen = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HookListenerService? _listener;

    private readonly AgentMetrics? _metrics;
    private readonly Microsoft.Extensions.Logging.ILoggerFactory? _loggers;

    public ListenerHarness(AgentMetrics? metrics = null, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null)
    {
        _metrics = metrics;
        _loggers = loggers;
        Directory.CreateDirectory(Root);
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "knt-hook-" + Guid.NewGuid().ToString("N")[..12]);
    public string Socket => Path.Combine(Root, "agent.sock");
    public string Spool => Path.Combine(Root, "spool");
    public HookListenerOptions Options => new(Socket, Spool, Path.Combine(Root, "state"), "compute");
    public IReadOnlyList<InstanceEvent> Seen => [.. _seen];
    public HookListenerService Listener => _listener ?? throw new InvalidOperationException("not started");

    public async Task StartAsync()
    {
        _listener = new HookListenerService(Options, this, TimeProvider.System,
            _loggers is null ? NullLogger<HookListenerService>.Instance : new Microsoft.Extensions.Logging.Logger<HookListenerService>(_loggers), _metrics);
        await _listener.StartAsync(CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_listener is not null)
        {
            await _listener.StopAsync(CancellationToken.None);
            _listener.Dispose();
            _listener = null;
        }
    }

    /// <summary>Waits (bounded) until the handler has seen <paramref name="count"/> events.</summary>
    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (_seen.Count < count)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"handler saw {_seen.Count} event(s), expected {count}");
            }
            var next = Volatile.Read(ref _next).Task;
            if (_seen.Count < count) await Task.WhenAny(next, Task.Delay(remaining));
        }
    }

    public Task<EventOutcome> HandleAsync(InstanceEvent instanceEvent, CancellationToken cancellationToken = default)
    {
        _seen.Enqueue(instanceEvent);
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        return Task.FromResult(new EventOutcome("applied", "recorded by the test"));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(Root, recursive: true);
    }
}
