using System.Threading.Channels;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Protocol;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Ovs.Qos;

/// <summary>
/// Watches the columns the tuner writes (an OVSDB monitor on Interface policing, Port qos, QoS and Queue) and,
/// when someone changes or clears them on a port the tuner keeps — an OVS or Neutron agent restart, an admin's
/// <c>ovs-vsctl</c> — re-applies the tuner's values, logs the repair and counts it.
/// </summary>
public sealed class OvsDriftMonitor : IAsyncDisposable
{
    /// <summary>Stable event id of the "drift repaired" log line.</summary>
    public static readonly EventId DriftRepairedEvent = new(3101, "OvsDriftRepaired");

    private static readonly Dictionary<string, IReadOnlyList<string>> Columns = new()
    {
        ["Interface"] = ["name", "ingress_policing_rate", "ingress_policing_burst", "external_ids"],
        ["Port"] = ["name", "qos"],
        ["QoS"] = ["type", "other_config", "external_ids", "queues"],
        ["Queue"] = ["other_config", "external_ids"],
    };

    private readonly OvsQosExecutor _executor;
    private readonly ILogger _logger;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stop = new();
    private OvsdbMonitor? _monitor;
    private Task _worker = Task.CompletedTask;
    private long _repairs;
    private long _checks;

    internal OvsDriftMonitor(OvsQosExecutor executor, ILogger logger, TimeProvider timeProvider)
    {
        _executor = executor;
        _logger = logger;
        TimeProvider = timeProvider;
    }

    /// <summary>Raised once per action re-applied after drift.</summary>
    public event Action<ActionResult>? Repaired;

    /// <summary>How many actions were re-applied because someone changed or cleared them.</summary>
    public long DriftRepairs => Interlocked.Read(ref _repairs);

    /// <summary>How many times the tracked ports were checked after a change notification.</summary>
    public long Checks => Interlocked.Read(ref _checks);

    public TimeProvider TimeProvider { get; }

    internal async Task StartAsync(CancellationToken cancellationToken)
    {
        _worker = Task.Run(WorkerAsync, CancellationToken.None);
        _monitor = await _executor.Client.MonitorAsync(OvsdbClient.OpenVSwitchDatabase, Columns, OnUpdate, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _signal.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_monitor is not null)
        {
            await _monitor.DisposeAsync().ConfigureAwait(false);
        }
        await _worker.ConfigureAwait(false);
    }

    private void OnUpdate(OvsdbUpdate update)
    {
        var tracked = _executor.TrackedPorts.Select(p => p.Port).ToHashSet(StringComparer.Ordinal);
        if (tracked.Count == 0)
        {
            return;
        }
        // A re-sent initial state (after a reconnect) may hide any change made while disconnected.
        var relevant = update.Initial || update.Changes().Any(c =>
            c.Table is "QoS" or "Queue" ||
            tracked.Contains((c.New?["name"] ?? c.Old?["name"])?.ToString() ?? ""));
        if (relevant)
        {
            _signal.Writer.TryWrite(true);
        }
    }

    private async Task WorkerAsync()
    {
        try
        {
            await foreach (var _ in _signal.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await CheckAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OvsdbConnectionException or OvsdbRpcException or OvsdbTransactionException)
                {
                    // The reconnect re-sends the initial rows, which signals another check.
                    _logger.LogWarning("OVS drift check failed: {Error}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _checks);
        foreach (var (instance, result) in await _executor.RepairTrackedAsync(cancellationToken).ConfigureAwait(false))
        {
            if (result.Status == ActionStatus.Applied)
            {
                Interlocked.Increment(ref _repairs);
                _logger.LogWarning(DriftRepairedEvent, "OVS drift on {Target} ({Kind}) of instance {Instance} repaired: {Before} -> {After}",
                    result.Target, result.Kind, instance, Format(result.Before), Format(result.After));
                Repaired?.Invoke(result);
            }
            else if (result.Status == ActionStatus.Failed)
            {
                _logger.LogWarning("OVS drift on {Target} ({Kind}) not repaired: {Message}", result.Target, result.Kind, result.Message);
            }
        }
    }

    private static string Format(IReadOnlyDictionary<string, string>? values) =>
        values is null ? "-" : string.Join(",", values.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
