using System.Net.Sockets;
using KvmNovaTuner.Agent.Logging;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Messaging.Store;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>The listener's two loops: answering hook connections, and applying queued events one at a time.</summary>
public sealed partial class HookListenerService
{
    private async Task AcceptLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || (e is SocketException && stoppingToken.IsCancellationRequested))
            {
                return;
            }
            _ = ServeAsync(client, stoppingToken);
        }
    }

    /// <summary>One hook call: read its line, make it durable, acknowledge, queue.</summary>
    private async Task ServeAsync(Socket client, CancellationToken stoppingToken)
    {
        using var _ = client;
        using var timeout = new CancellationTokenSource(options.ReadTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stoppingToken);
        try
        {
            var e = await HookProtocol.ReadLineAsync(client, HookJsonContext.Default.HookEvent, linked.Token).ConfigureAwait(false);
            var ack = await AcceptAsync(e, linked.Token).ConfigureAwait(false);
            await HookProtocol.WriteLineAsync(client, ack.Ack, HookJsonContext.Default.HookAck, linked.Token).ConfigureAwait(false);
            if (ack.SpoolPath is { } path)
            {
                // Queued only now: the hook has its answer and returns; the work below never runs while it waits.
                Enqueue(e, path);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or SocketException or IOException or OperationCanceledException)
        {
            logger.LogWarning(LogEvents.HookSocketFailed, "Hook connection dropped: {Reason}", ex.Message);
        }
    }

    private async Task<(HookAck Ack, string? SpoolPath)> AcceptAsync(HookEvent e, CancellationToken cancellationToken)
    {
        if (e.Version != 1 || string.IsNullOrWhiteSpace(e.MessageId) || string.IsNullOrWhiteSpace(e.InstanceUuid) || e.MessageId.Contains('/', StringComparison.Ordinal))
        {
            return (new HookAck(HookAck.Rejected, e.MessageId, "not a version 1 hook event with a message id and an instance uuid"), null);
        }
        logger.LogInformation(LogEvents.HookEventReceived, "Hook {Operation} for {InstanceUuid} ({MessageId})", e.Operation, e.InstanceUuid, e.MessageId);
        if (IsPending(e.MessageId) || await _store!.IsSeenAsync(e.MessageId, cancellationToken).ConfigureAwait(false))
        {
            return (new HookAck(HookAck.Duplicate, e.MessageId), null);
        }
        var path = await _spool.WriteAsync(e, cancellationToken).ConfigureAwait(false);
        metrics?.RecordHookEvent(e.Operation, AgentMetricsFeeds.HookSocket);
        return (new HookAck(HookAck.Queued, e.MessageId), path);
    }

    private async Task WorkLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (e, path) in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await ProcessAsync(e, path, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Unfinished events stay in the spool for the next start.
        }
    }

    private async Task ProcessAsync(HookEvent hook, string spoolPath, CancellationToken stoppingToken)
    {
        try
        {
            if (await _store!.IsSeenAsync(hook.MessageId, stoppingToken).ConfigureAwait(false))
            {
                HookSpool.Delete(spoolPath);
                return;
            }
            var e = HookEventMapper.ToInstanceEvent(hook, options.HostName);
            var outcome = await HandleAsync(e, stoppingToken).ConfigureAwait(false);
            await _store.RecordAsync(new JournalEntry(e.MessageId, e.EventType, e.InstanceUuid, e.Host, outcome.Status, outcome.Detail, time.GetUtcNow()), stoppingToken).ConfigureAwait(false);
            HookSpool.Delete(spoolPath);
            Interlocked.Increment(ref _handled);
            logger.LogInformation(LogEvents.EventHandled, "{EventType} for {InstanceUuid}: {Status} ({Detail})", e.EventType, e.InstanceUuid, outcome.Status, outcome.Detail);
        }
        finally
        {
            Done(hook.MessageId);
        }
    }

    private async Task<EventOutcome> HandleAsync(Core.Events.InstanceEvent e, CancellationToken stoppingToken)
    {
        try
        {
            return await handler.HandleAsync(e, stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The boundary of one event: a failure is an outcome (journaled), never a crash of the listener.
            logger.LogError(LogEvents.EventFailed, ex, "Handler failed for {EventType} {MessageId}", e.EventType, e.MessageId);
            return new EventOutcome("failed", $"handler error: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
