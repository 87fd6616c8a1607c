using System.Collections.Concurrent;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Ovs.Qos;

/// <summary>
/// Applies a plan's <c>ovs_policing</c> and <c>ovs_qos</c> actions over OVSDB: one atomic transaction per port,
/// guarded by <c>wait</c>, every row tagged as the tuner's, other owners' rows never overwritten. Remembers
/// what it applied so that the drift monitor can re-apply it, and removes the tuner's rows of a departed instance.
/// </summary>
public sealed partial class OvsQosExecutor : IActionExecutor, IAsyncDisposable
{
    private const string PortPrefix = "port/";
    private readonly OvsdbClient _client;
    private readonly bool _ownsClient;
    private readonly OvsQosOptions _options;
    private readonly ILogger _logger;
    private readonly OvsPortReader _reader;
    private readonly ConcurrentDictionary<string, TrackedPort> _tracked = new(StringComparer.Ordinal);
    private OvsDriftMonitor? _drift;

    // One writer at a time: a plan, a cleanup and a drift repair never interleave, so a repair can never put back
    // the values a plan is replacing (it would read the port's former actions while the plan commits new ones).
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public OvsQosExecutor(OvsdbClient client, OvsQosOptions? options = null, ILogger? logger = null)
        : this(client, false, options ?? new OvsQosOptions(), logger ?? NullLogger.Instance)
    {
    }

    private OvsQosExecutor(OvsdbClient client, bool ownsClient, OvsQosOptions options, ILogger logger)
    {
        options.Validate();
        _client = client;
        _ownsClient = ownsClient;
        _options = options;
        _logger = logger;
        _reader = new OvsPortReader(client, options.Database);
    }

    public OvsdbClient Client => _client;

    public OvsPortReader Reader => _reader;

    /// <summary>The drift monitor, when <see cref="OvsQosOptions.RepairDrift"/> started one.</summary>
    public OvsDriftMonitor? Drift => _drift;

    /// <summary>
    /// Connects to <paramref name="address"/> (<c>unix:PATH</c> or <c>tcp:HOST:PORT</c>) and returns an executor
    /// that owns the connection (and the drift monitor when enabled); dispose it to close both.
    /// Throws <see cref="FormatException"/> for a bad address and <see cref="OvsdbConnectionException"/> when no server answers.
    /// </summary>
    public static async Task<OvsQosExecutor> ConnectAsync(string address, OvsQosOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options ??= new OvsQosOptions();
        options.Validate();
        logger ??= NullLogger.Instance;
        var client = await OvsdbClient.ConnectAsync(address, options.Client, logger, cancellationToken).ConfigureAwait(false);
        var executor = new OvsQosExecutor(client, true, options, logger);
        try
        {
            if (options.RepairDrift)
            {
                await executor.StartDriftMonitorAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await executor.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return executor;
    }

    /// <summary>Starts the drift monitor over this executor's client (once).</summary>
    public async Task<OvsDriftMonitor> StartDriftMonitorAsync(CancellationToken cancellationToken = default)
    {
        if (_drift is null)
        {
            var drift = new OvsDriftMonitor(this, _logger, _options.Client.TimeProvider);
            await drift.StartAsync(cancellationToken).ConfigureAwait(false);
            _drift = drift;
        }
        return _drift;
    }

    public bool Handles(string kind) => kind is ActionKinds.OvsPolicing or ActionKinds.OvsQos or ActionKinds.OvsRelease;

    public Task<IReadOnlyList<ActionResult>> ExecuteAsync(Plan plan, IReadOnlyList<PlanAction> actions, bool dryRun, CancellationToken cancellationToken = default) =>
        ExclusiveAsync(() => ExecuteExclusiveAsync(plan, actions, dryRun, cancellationToken), cancellationToken);

    /// <summary>
    /// Re-applies what the tuner keeps on every tracked port (the drift monitor's repair), reading the tracked
    /// actions only once no plan is being applied.
    /// </summary>
    internal Task<IReadOnlyList<(string InstanceUuid, ActionResult Result)>> RepairTrackedAsync(CancellationToken cancellationToken) =>
        ExclusiveAsync<IReadOnlyList<(string, ActionResult)>>(async () =>
        {
            var results = new List<(string, ActionResult)>();
            foreach (var instance in _tracked.Values.GroupBy(p => p.InstanceUuid))
            {
                var applied = await ApplyPortsAsync(instance.Key, [.. instance], false, cancellationToken).ConfigureAwait(false);
                results.AddRange(applied.Select(r => (instance.Key, r)));
            }
            return results;
        }, cancellationToken);

    private async Task<T> ExclusiveAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work().ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private async Task<IReadOnlyList<ActionResult>> ExecuteExclusiveAsync(Plan plan, IReadOnlyList<PlanAction> actions, bool dryRun, CancellationToken cancellationToken)
    {
        var results = new List<ActionResult>();
        var release = actions.Where(a => a.Kind == ActionKinds.OvsRelease).ToList();
        var portActions = actions.Where(a => a.Kind is ActionKinds.OvsPolicing or ActionKinds.OvsQos).ToList();
        foreach (var bad in portActions.Where(a => !a.Target.StartsWith(PortPrefix, StringComparison.Ordinal)))
        {
            results.Add(new ActionResult(bad.Kind, bad.Target, ActionStatus.Failed, null, null, $"target '{bad.Target}' is not port/TAP"));
        }
        var byPort = portActions.Where(a => a.Target.StartsWith(PortPrefix, StringComparison.Ordinal))
            .GroupBy(a => a.Target[PortPrefix.Length..], StringComparer.Ordinal)
            .ToList();
        if (byPort.Count > 0)
        {
            if (plan.InstanceUuid is not { } instanceUuid)
            {
                results.AddRange(byPort.SelectMany(g => g).Select(a => new ActionResult(a.Kind, a.Target, ActionStatus.Failed, null, null, "the plan names no instance")));
            }
            else
            {
                var wanted = byPort.Select(g => new TrackedPort(g.Key, instanceUuid, g.FirstOrDefault(a => a.Kind == ActionKinds.OvsPolicing), g.FirstOrDefault(a => a.Kind == ActionKinds.OvsQos))).ToList();
                results.AddRange(await ApplyPortsAsync(instanceUuid, wanted, dryRun, cancellationToken).ConfigureAwait(false));
            }
        }
        foreach (var action in release)
        {
            results.Add(await ReleaseAsync(action, plan.InstanceUuid, dryRun, cancellationToken).ConfigureAwait(false));
        }
        return results;
    }

    public async ValueTask DisposeAsync()
    {
        if (_drift is not null)
        {
            await _drift.DisposeAsync().ConfigureAwait(false);
        }
        if (_ownsClient)
        {
            await _client.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The ports whose bandwidth the tuner currently keeps (what the drift monitor re-applies).</summary>
    public IReadOnlyCollection<TrackedPort> TrackedPorts => [.. _tracked.Values];

    private async Task<IReadOnlyList<ActionResult>> ApplyPortsAsync(string instanceUuid, IReadOnlyList<TrackedPort> ports, bool dryRun, CancellationToken cancellationToken)
    {
        var results = new List<ActionResult>();
        IReadOnlyList<OvsPortSnapshot> snapshots;
        try
        {
            // The plan names the taps: read exactly those (the vm-uuid search is the observe step's job).
            snapshots = await _reader.ReadSnapshotsAsync(null, [.. ports.Select(p => p.Port)], cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OvsdbConnectionException or OvsdbRpcException or OvsdbTransactionException)
        {
            return [.. ports.SelectMany(p => p.Actions).Select(a => new ActionResult(a.Kind, a.Target, ActionStatus.Failed, null, null, $"cannot read OVS ports: {e.Message}"))];
        }
        foreach (var port in ports)
        {
            var snapshot = snapshots.FirstOrDefault(s => s.Name == port.Port);
            if (snapshot is null)
            {
                results.AddRange(port.Actions.Select(a => new ActionResult(a.Kind, a.Target, ActionStatus.Failed, null, null, $"no OVS Interface named {port.Port} on this host")));
                _tracked.TryRemove(port.Port, out _);
                continue;
            }
            var portResults = await ApplyPortAsync(port, snapshot, dryRun, cancellationToken).ConfigureAwait(false);
            results.AddRange(portResults);
            if (!dryRun && portResults.All(r => r.Status is ActionStatus.Applied or ActionStatus.Unchanged))
            {
                _tracked[port.Port] = port;
            }
        }
        return results;
    }
}

/// <summary>A port whose bandwidth the tuner keeps: the instance and the last actions applied to it.</summary>
public sealed record TrackedPort(string Port, string InstanceUuid, PlanAction? Policing, PlanAction? Qos)
{
    public IEnumerable<PlanAction> Actions => new[] { Policing, Qos }.OfType<PlanAction>();
}
