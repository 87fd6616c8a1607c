using System.Threading.Channels;
using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KvmNovaTuner.Integration.Tests.Hooks;

/// <summary>
/// The agent side as the product wires it: a Generic Host with <see cref="HookRegistration.AddHookListener(IServiceCollection, HookListenerOptions)"/>
/// around a handler that records each event it is asked to apply. Socket, spool and state live in one temp directory
/// that outlives restarts of the host (as /run and /var/spool do).
/// </summary>
internal sealed class HookAgent : IAsyncDisposable
{
    private readonly Channel<InstanceEvent> _applied = Channel.CreateUnbounded<InstanceEvent>();
    private IHost? _host;

    public string Root { get; } = Directory.CreateTempSubdirectory("knt-hookit-").FullName;
    public string Socket => Path.Combine(Root, "run", "agent.sock");
    public string Spool => Path.Combine(Root, "spool");
    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("agent not running");

    public async Task StartAsync()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddLogging();
        builder.Services.AddSingleton<IInstanceEventHandler>(new Recorder(_applied.Writer));
        builder.Services.AddHookListener(new HookListenerOptions(Socket, Spool, Path.Combine(Root, "state"), "compute"));
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_host is null) return;
        await _host.StopAsync();
        _host.Dispose();
        _host = null;
    }

    /// <summary>The next event the pipeline was asked to apply, within <paramref name="timeout"/>.</summary>
    public async Task<InstanceEvent> NextAppliedAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _applied.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the agent applied nothing within {timeout}");
        }
    }

    /// <summary>The next applied event of <paramref name="eventType"/>, skipping others (a destroy's own <c>stopped</c> call may come in between).</summary>
    public async Task<InstanceEvent> NextAppliedAsync(string eventType, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            var e = await NextAppliedAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero);
            if (e.EventType == eventType) return e;
        }
    }

    /// <summary>Events applied so far and not yet taken by <see cref="NextAppliedAsync(TimeSpan)"/>.</summary>
    public int Waiting => _applied.Reader.Count;

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(Root, recursive: true);
    }

    private sealed class Recorder(ChannelWriter<InstanceEvent> sink) : IInstanceEventHandler
    {
        public async Task<EventOutcome> HandleAsync(InstanceEvent instanceEvent, CancellationToken cancellationToken = default)
        {
            await sink.WriteAsync(instanceEvent, cancellationToken);
            return new EventOutcome("applied", "recorded by the test pipeline");
        }
    }
}
