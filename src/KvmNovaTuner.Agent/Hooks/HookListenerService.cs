using System.Net.Sockets;
using System.Threading.Channels;
using KvmNovaTuner.Agent.Logging;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Messaging.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// The agent's end of the libvirt hook: listens on the hook socket, writes each event to the spool (durable) and
/// acknowledges at once, then applies it from a queue after the hook has returned — libvirt blocks while a hook
/// runs, so nothing here runs while the hook waits. At start it replays the spool (events the hook recorded while
/// the agent was down, and any it had acknowledged but not finished). Message ids already journaled are dropped.
/// </summary>
public sealed partial class HookListenerService(
    HookListenerOptions options,
    IInstanceEventHandler handler,
    TimeProvider time,
    ILogger<HookListenerService> logger,
    AgentMetrics? metrics = null) : BackgroundService
{
    private readonly Channel<(HookEvent Event, string SpoolPath)> _queue = Channel.CreateUnbounded<(HookEvent, string)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly HookSpool _spool = new(options.SpoolDir);
    private Socket? _listener;
    private IntakeStore? _store;
    private int _handled;

    /// <summary>Events handled (journaled) since start.</summary>
    public int Handled => Volatile.Read(ref _handled);

    /// <summary>Binds the socket and queues the spool before the host reports started, so a hook called from now on is heard.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _store = await IntakeStore.OpenAsync(Path.Combine(options.StateDir, HookListenerOptions.DatabaseFile), time, options.Retention, cancellationToken).ConfigureAwait(false);
        _listener = await BindAsync(cancellationToken).ConfigureAwait(false);
        var spooled = await _spool.ReadAllAsync(
            (path, why) => logger.LogWarning(LogEvents.HookSocketFailed, "Unreadable spool file {Path} set aside as .bad: {Reason}", path, why),
            cancellationToken).ConfigureAwait(false);
        foreach (var (e, path) in spooled)
        {
            if (Enqueue(e, path)) metrics?.RecordHookEvent(e.Operation, AgentMetricsFeeds.HookSpool);
        }
        if (spooled.Count > 0)
        {
            logger.LogInformation(LogEvents.HookSpoolReplayed, "Replaying {Count} spooled hook event(s) from {SpoolDir}", spooled.Count, options.SpoolDir);
        }
        foreach (var incident in _spool.TakeIncidents())
        {
            logger.LogWarning(LogEvents.HookIncidentReported, "The libvirt hook reported, while the agent was not listening: {Incident}", incident);
        }
        logger.LogInformation(LogEvents.HookEventReceived, "Hook listener on {Socket} (spool {SpoolDir})", options.SocketPath, options.SpoolDir);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _listener?.Dispose();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        File.Delete(options.SocketPath);
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
            _store = null;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(AcceptLoopAsync(stoppingToken), WorkLoopAsync(stoppingToken));

    private async Task<Socket> BindAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.SocketPath))!);
        if (File.Exists(options.SocketPath))
        {
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await probe.ConnectAsync(new UnixDomainSocketEndPoint(options.SocketPath), cancellationToken).ConfigureAwait(false);
                throw new IOException($"another process already listens on the hook socket {options.SocketPath}");
            }
            catch (SocketException)
            {
                File.Delete(options.SocketPath); // stale: left by an agent that did not stop cleanly
            }
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(options.SocketPath));
        if (!OperatingSystem.IsWindows())
        {
            // libvirtd runs its hooks as root: nobody else needs to talk to the agent.
            File.SetUnixFileMode(options.SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        socket.Listen(64);
        return socket;
    }

    private bool Enqueue(HookEvent e, string spoolPath)
    {
        lock (_gate)
        {
            if (!_pending.Add(e.MessageId))
            {
                return false;
            }
        }
        return _queue.Writer.TryWrite((e, spoolPath));
    }

    private bool IsPending(string messageId)
    {
        lock (_gate) return _pending.Contains(messageId);
    }

    private void Done(string messageId)
    {
        lock (_gate) _pending.Remove(messageId);
    }
}
