using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Logging;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Agent.Pipeline;
using KvmNovaTuner.OpenStack;
using KvmNovaTuner.OpenStack.Auth;
using KvmNovaTuner.OpenStack.Reporting;
using KvmNovaTuner.OpenStack.Snapshots;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// The agent's OpenStack side: a connection for <c>[openstack] cloud</c>, the durable outbox under the state
/// directory and its delivery loop, the Nova flavor lookup. Without credentials the agent still tunes and only
/// logs outcomes (<see cref="LogEvents.ReporterDisabled"/>).
/// </summary>
public sealed class AgentReporting : IAsyncDisposable
{
    private readonly OpenStackConnection? _connection;
    private readonly StatusReporter? _reporter;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _delivery = Task.CompletedTask;

    private AgentReporting(OpenStackConnection? connection, StatusReporter? reporter, IOutcomeReporter outcomes, IFlavorLookup flavors,
        SnapshotFollower? snapshots = null, AutoRecoveryRunner? autoRecovery = null)
    {
        _connection = connection;
        _reporter = reporter;
        Outcomes = outcomes;
        Flavors = flavors;
        Snapshots = snapshots;
        AutoRecovery = autoRecovery;
        if (reporter is not null) _delivery = reporter.RunAsync(_stop.Token);
    }

    public IOutcomeReporter Outcomes { get; }

    public IFlavorLookup Flavors { get; }

    /// <summary>The authenticated session to the cloud (for the <c>api</c> health check); null without credentials.</summary>
    public OpenStack.Http.OpenStackSession? Session => _connection?.Session;

    /// <summary>Snapshot tracking (Glance), when the agent has OpenStack credentials.</summary>
    public SnapshotFollower? Snapshots { get; }

    /// <summary>Automatic recovery of servers whose flavor sets <c>tuner:auto_recover</c>, when the agent has OpenStack credentials.</summary>
    public AutoRecoveryRunner? AutoRecovery { get; }

    public static AgentReporting Start(TunerOptions options, AgentMetrics metrics, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<AgentReporting>();
        OpenStackConnection connection;
        try
        {
            connection = OpenStackConnection.FromCloud(options.OpenStack.Cloud == "envvars" ? null : options.OpenStack.Cloud, loggers, options.OpenStack.CloudsYaml);
        }
        catch (CloudConfigException e)
        {
            logger.LogWarning(LogEvents.ReporterDisabled, "No OpenStack credentials ({Reason}): outcomes are logged, not written to Nova", e.Message);
            logger.LogWarning(LogEvents.AutoRecoveryUnavailable, "No OpenStack credentials: automatic recovery (tuner:auto_recover) is unavailable; servers that go to ERROR are only journaled");
            return new AgentReporting(null, null, NothingObserved.Instance, NothingObserved.Instance);
        }
        Directory.CreateDirectory(options.Agent.StateDir);
        var outbox = new OutboxStore(Path.Combine(options.Agent.StateDir, "outbox.db"));
        metrics.TrackOutbox(outbox);
        var reporter = new StatusReporter(outbox, new NovaMetadataWriter(connection.Nova), time, logger);
        var store = new SnapshotStore(Path.Combine(options.Agent.StateDir, "snapshots.db"));
        var tracker = new SnapshotTracker(connection.Glance, store, reporter, time, logger);
        var recovery = new RecoveryRunner(connection.Nova, connection.Glance, store, reporter, time, loggers.CreateLogger<RecoveryRunner>());
        var autoRecovery = new AutoRecoveryRunner(recovery, store, new Core.Recovery.AutoRecoveryOptions { Guard = options.Snapshots.AutoRecoverGuard }, metrics, time,
            loggers.CreateLogger<AutoRecoveryRunner>());
        return new AgentReporting(connection, reporter, new NovaOutcomeReporter(reporter, outbox, metrics), new NovaFlavorLookup(connection.Nova),
            new SnapshotFollower(tracker, logger), autoRecovery);
    }

    /// <summary>Delivers what is due once more, then stops the delivery loop and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Snapshots is not null) await Snapshots.DisposeAsync().ConfigureAwait(false);
        if (AutoRecovery is not null) await AutoRecovery.DisposeAsync().ConfigureAwait(false);
        if (_reporter is not null)
        {
            try
            {
                await _reporter.DrainOnceAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or OpenStack.Http.OpenStackApiException or TaskCanceledException)
            {
                // Undelivered rows stay in the outbox for the next start.
            }
        }
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _delivery.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
        _connection?.Dispose();
        _stop.Dispose();
    }
}
