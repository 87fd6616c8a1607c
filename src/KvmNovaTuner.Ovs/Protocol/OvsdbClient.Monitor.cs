using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Ovs.Protocol;

/// <summary>Monitors (RFC 7047 §4.1.5): registered once, re-registered on every reconnect.</summary>
public sealed partial class OvsdbClient
{
    private readonly ConcurrentDictionary<string, MonitorRegistration> _monitors = new();
    private long _nextMonitor;
    private long _serverEchoes;

    /// <summary>
    /// Starts a monitor of the given columns per table. <paramref name="onUpdate"/> first receives the initial
    /// rows (<see cref="OvsdbUpdate.Initial"/>), then every change; after a reconnect it receives the full
    /// initial rows again. It runs on the connection's reader: keep it short and non-blocking.
    /// </summary>
    public async Task<OvsdbMonitor> MonitorAsync(
        string database,
        IReadOnlyDictionary<string, IReadOnlyList<string>> columnsByTable,
        Action<OvsdbUpdate> onUpdate,
        CancellationToken cancellationToken = default)
    {
        var id = $"knt-monitor-{Interlocked.Increment(ref _nextMonitor)}";
        var requests = new JObject();
        foreach (var (table, columns) in columnsByTable)
        {
            requests[table] = new JObject { ["columns"] = new JArray(columns) };
        }
        var registration = new MonitorRegistration(id, database, requests, onUpdate);
        _monitors[id] = registration;
        try
        {
            var initial = await RequestAsync("monitor", registration.Parameters(), cancellationToken).ConfigureAwait(false);
            Deliver(registration, new OvsdbUpdate(true, initial as JObject ?? []));
        }
        catch
        {
            _monitors.TryRemove(id, out _);
            throw;
        }
        return new OvsdbMonitor(this, id);
    }

    internal async Task CancelMonitorAsync(string id)
    {
        if (!_monitors.TryRemove(id, out _) || _disposed.IsCancellationRequested)
        {
            return;
        }
        try
        {
            await RequestAsync("monitor_cancel", [id], CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OvsdbConnectionException or OvsdbRpcException)
        {
            // Gone with the connection or already unknown to the server: nothing left to cancel.
        }
    }

    private async Task ResubscribeAsync(OvsdbConnection connection, CancellationToken cancellationToken)
    {
        foreach (var registration in _monitors.Values)
        {
            var initial = await connection.RequestAsync("monitor", registration.Parameters(), cancellationToken).ConfigureAwait(false);
            Deliver(registration, new OvsdbUpdate(true, initial as JObject ?? []));
        }
    }

    /// <summary>How many echo requests from the server this client answered (the server's inactivity probe).</summary>
    public long ServerEchoesAnswered => Interlocked.Read(ref _serverEchoes);

    private void OnNotification(string method, JArray parameters)
    {
        if (method == "echo")
        {
            Interlocked.Increment(ref _serverEchoes);
            return;
        }
        if (method != "update" || parameters.Count < 2 || parameters[1] is not JObject tables)
        {
            return;
        }
        if (_monitors.TryGetValue(parameters[0]!.ToString(), out var registration))
        {
            Deliver(registration, new OvsdbUpdate(false, tables));
        }
    }

    private void Deliver(MonitorRegistration registration, OvsdbUpdate update)
    {
        try
        {
            registration.OnUpdate(update);
        }
        catch (Exception e)
        {
            // A boundary: a failing handler must not end the connection's reader.
            _logger.LogError(e, "OVSDB monitor {Monitor} handler failed", registration.Id);
        }
    }

    private sealed record MonitorRegistration(string Id, string Database, JObject Requests, Action<OvsdbUpdate> OnUpdate)
    {
        public JArray Parameters() => new(Database, Id, Requests.DeepClone());
    }
}

/// <summary>A running monitor; disposing it sends <c>monitor_cancel</c>.</summary>
public sealed class OvsdbMonitor : IAsyncDisposable
{
    private readonly OvsdbClient _client;

    internal OvsdbMonitor(OvsdbClient client, string id)
    {
        _client = client;
        Id = id;
    }

    public string Id { get; }

    public ValueTask DisposeAsync() => new(_client.CancelMonitorAsync(Id));
}

/// <summary>One monitor delivery: <c>table-updates</c> (table → row uuid → <c>old</c>/<c>new</c>), initial or a change.</summary>
public sealed record OvsdbUpdate(bool Initial, JObject Tables)
{
    /// <summary>Every row change as (table, uuid, old columns, new columns); old is null on insert, new is null on delete.</summary>
    public IEnumerable<OvsdbRowChange> Changes()
    {
        foreach (var (table, rows) in Tables)
        {
            if (rows is not JObject byUuid)
            {
                continue;
            }
            foreach (var (uuid, change) in byUuid)
            {
                yield return new OvsdbRowChange(table, uuid, change?["old"] as JObject, change?["new"] as JObject);
            }
        }
    }
}

/// <summary>One row's change inside an <see cref="OvsdbUpdate"/>.</summary>
public sealed record OvsdbRowChange(string Table, string Uuid, JObject? Old, JObject? New);
