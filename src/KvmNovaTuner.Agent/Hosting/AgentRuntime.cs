using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Logging;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Agent.Pipeline;
using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.HostTuning.Controllers;
using KvmNovaTuner.HostTuning.Executors;
using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.Profiles;
using KvmNovaTuner.HostTuning.Topology;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Ovs.Protocol;
using KvmNovaTuner.Ovs.Qos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// Opens the agent's connections at start (libvirt, OVSDB) and builds the event pipeline over them; closes them
/// at the end of a graceful stop, after in-flight events are done. A missing OVSDB leaves the OVS part out
/// (logged, and /healthz says so) instead of keeping the host untuned; missing OpenStack credentials leave reporting out.
/// </summary>
public sealed class AgentRuntime(
    TunerOptions options,
    AgentMetrics metrics,
    InFlightTracker inFlight,
    TimeProvider time,
    ILoggerFactory loggers) : IHostedService, IFlushOnStop
{
    private readonly ILogger _logger = loggers.CreateLogger<AgentRuntime>();
    private LibvirtConnection? _libvirt;
    private OvsQosExecutor? _ovs;
    private InstanceEventPipeline? _pipeline;
    private AgentReporting? _reporting;

    /// <summary>The host profile's controller loop (KSM, hugepage release), once started; null when the profile could not be loaded.</summary>
    public HostControllerLoop? HostControllers { get; private set; }

    /// <summary>Snapshot tracking, when the agent has OpenStack credentials.</summary>
    public SnapshotFollower? Snapshots => _reporting?.Snapshots;

    /// <summary>The OpenStack session, once started; null when the agent has no cloud configured.</summary>
    public OpenStack.Http.OpenStackSession? OpenStack => _reporting?.Session;

    /// <summary>Automatic recovery (<c>tuner:auto_recover</c>), when the agent has OpenStack credentials.</summary>
    public AutoRecoveryRunner? AutoRecovery => _reporting?.AutoRecovery;

    /// <summary>The pipeline, once started.</summary>
    public InstanceEventPipeline Pipeline => _pipeline ?? throw new InvalidOperationException("the agent runtime has not started");

    /// <summary>Where final outcomes go (Nova's server metadata), once started; null when the agent has no cloud configured.</summary>
    public IOutcomeReporter? Outcomes => _reporting?.Outcomes;

    /// <summary>The Nova API flavor lookup, once started; null when the agent has no cloud configured.</summary>
    public IFlavorLookup? Flavors => _reporting?.Flavors;

    /// <summary>The libvirt connection, once started; null when libvirt was unavailable.</summary>
    public LibvirtConnection? Libvirt => _libvirt;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _libvirt = LibvirtConnection.Open(options.Libvirt.Uri);
        }
        catch (LibvirtException e)
        {
            // Degrade instead of crash-looping: events are journaled and reported as failed, /healthz says why.
            _logger.LogError(LogEvents.LibvirtUnavailable, "libvirt at {Uri} unavailable ({Reason}): domains cannot be tuned until the agent restarts", options.Libvirt.Uri, e.Message);
        }
        try
        {
            _ovs = await OvsQosExecutor.ConnectAsync(options.Ovs.Ovsdb, logger: loggers.CreateLogger<OvsQosExecutor>(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (OvsdbConnectionException e)
        {
            _logger.LogWarning(LogEvents.OvsdbUnavailable, "OVSDB at {Address} unreachable ({Reason}): OVS bandwidth is not applied until the agent restarts", options.Ovs.Ovsdb, e.Message);
        }
        if (_ovs?.Drift is { } drift) metrics.CountRepairsOf(drift);
        _reporting = AgentReporting.Start(options, metrics, time, loggers);
        var root = new HostRoot(options.Host.Root);
        var budgetKb = Math.Max(options.Host.Hugepages2MBudget * 2048L, options.Host.Hugepages1GBudget * 1048576L);
        var executors = new List<IActionExecutor> { await HostExecutorAsync(root, budgetKb, cancellationToken).ConfigureAwait(false) };
        if (_libvirt is not null) executors.Add(new Libvirt.Execution.LibvirtActionExecutor(_libvirt, loggers.CreateLogger<Libvirt.Execution.LibvirtActionExecutor>()));
        if (_ovs is not null) executors.Add(_ovs);
        _pipeline = new InstanceEventPipeline(
            options.Default.Host,
            _libvirt is null ? NothingObserved.Instance : new LibvirtDomainObserver(_libvirt),
            _ovs is null ? NothingObserved.Instance : new OvsPortObserver(_ovs.Reader),
            new SysfsTopologySource(new HostTopologyReader(root), metrics),
            executors,
            _reporting.Flavors,
            _reporting.Outcomes,
            metrics,
            inFlight,
            loggers.CreateLogger<InstanceEventPipeline>(),
            PlannerOptions.Default with { HugepageBudgetKbPerNode = budgetKb > 0 ? budgetKb : null });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// The hugepage executor and the controller loop of the active profile, sharing one pool controller (so a pool
    /// grown for a boot is not released as surplus). A profile that cannot be loaded leaves the executor alone.
    /// </summary>
    private async Task<IActionExecutor> HostExecutorAsync(HostRoot root, long budgetKb, CancellationToken cancellationToken)
    {
        var budget = budgetKb > 0 ? new HugepageBudget(budgetKb) : null;
        try
        {
            var catalog = await ProfileCatalog.LoadAsync([], cancellationToken).ConfigureAwait(false);
            var parts = await HostTuningFactory.CreateAsync(root, catalog, options.Host.Profile, new LibvirtGuestMemory(() => _libvirt), time, loggers, budget,
                cancellationToken: cancellationToken).ConfigureAwait(false);
            HostControllers = parts.Loop;
            return parts.Executor;
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or FormatException or IOException or UnauthorizedAccessException)
        {
            _logger.LogError(LogEvents.HostProfileUnavailable, "host profile '{Profile}' unavailable ({Reason}): hugepage pools are still grown for boots, no controllers run", options.Host.Profile, e.Message);
            return new HostActionExecutor(new HugepagePoolWriter(root), new HugepagePoolController(budget ?? new HugepageBudget(0), TimeSpan.FromMinutes(10)), time);
        }
    }

    /// <summary>Closes the connections once in-flight work is done.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_reporting is not null) await _reporting.DisposeAsync().ConfigureAwait(false);
        if (_ovs is not null) await _ovs.DisposeAsync().ConfigureAwait(false);
        _libvirt?.Dispose();
    }
}
