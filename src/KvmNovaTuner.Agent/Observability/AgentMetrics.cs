using Prometheus;

namespace KvmNovaTuner.Agent.Observability;

/// <summary>
/// Every Prometheus metric the agent exports, defined once on its own registry so the pipeline, the reporter
/// and the host controllers update the same instances and tests stay isolated.
/// </summary>
public sealed class AgentMetrics
{
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public AgentMetrics(CollectorRegistry? registry = null)
    {
        Registry = registry ?? Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(Registry);
        Events = f.CreateCounter("kvm_nova_tuner_events_total", "Instance events handled, by event type and outcome.",
            new CounterConfiguration { LabelNames = ["event_type", "outcome"] });
        PlanSeconds = f.CreateHistogram("kvm_nova_tuner_plan_seconds", "Time to resolve specs, observe and plan one event.",
            new HistogramConfiguration { Buckets = LatencyBuckets });
        ApplySeconds = f.CreateHistogram("kvm_nova_tuner_apply_seconds", "Time to apply and verify one plan, by executor.",
            new HistogramConfiguration { Buckets = LatencyBuckets, LabelNames = ["executor"] });
        Actions = f.CreateCounter("kvm_nova_tuner_actions_total", "Plan actions executed, by kind and status.",
            new CounterConfiguration { LabelNames = ["kind", "status"] });
        DriftRepairs = f.CreateCounter("kvm_nova_tuner_drift_repairs_total", "Drifted settings found and repaired (libvirt reconcile scan, OVS drift monitor), by action kind.",
            new CounterConfiguration { LabelNames = ["kind"] });
        DeadLettered = f.CreateCounter("kvm_nova_tuner_dead_lettered_total", "Messages sent to the dead-letter queue, by reason.",
            new CounterConfiguration { LabelNames = ["reason"] });
        OutboxDepth = f.CreateGauge("kvm_nova_tuner_outbox_depth", "Reports waiting in the outbox for the Nova API.");
        KsmRunning = f.CreateGauge("kvm_nova_tuner_ksm_run", "KSM run mode the controller set (0 stop, 1 run, 2 unmerge).");
        KsmPagesToScan = f.CreateGauge("kvm_nova_tuner_ksm_pages_to_scan", "KSM pages_to_scan the controller set.");
        HugepagesTotal = f.CreateGauge("kvm_nova_tuner_hugepages_total", "Hugepage pool size per NUMA node and page size.",
            new GaugeConfiguration { LabelNames = ["node", "page_size_kb"] });
        HugepagesFree = f.CreateGauge("kvm_nova_tuner_hugepages_free", "Free hugepages per NUMA node and page size.",
            new GaugeConfiguration { LabelNames = ["node", "page_size_kb"] });
        HugepagesReleased = f.CreateCounter("kvm_nova_tuner_hugepages_released_total", "Hugepages the release controller gave back to the kernel, per NUMA node and page size.",
            new CounterConfiguration { LabelNames = ["node", "page_size_kb"] });
        HookEvents = f.CreateCounter("kvm_nova_tuner_hook_events_total", "libvirt hook events received, by operation and path (socket, spool).",
            new CounterConfiguration { LabelNames = ["operation", "path"] });
        Reconciles = f.CreateCounter("kvm_nova_tuner_reconciles_total", "Reconcile scans, by outcome.",
            new CounterConfiguration { LabelNames = ["outcome"] });
        Recoveries = f.CreateCounter("kvm_nova_tuner_recoveries_total", "Recoveries (rebuilds from a snapshot) the agent started or declined, by trigger and final status.",
            new CounterConfiguration { LabelNames = ["trigger", "status"] });
        InFlight = f.CreateGauge("kvm_nova_tuner_in_flight", "Events being handled right now.");
    }

    public CollectorRegistry Registry { get; }
    public Counter Events { get; }
    public Histogram PlanSeconds { get; }
    public Histogram ApplySeconds { get; }
    public Counter Actions { get; }
    public Counter DriftRepairs { get; }
    public Counter DeadLettered { get; }
    public Gauge OutboxDepth { get; }
    public Gauge KsmRunning { get; }
    public Gauge KsmPagesToScan { get; }
    public Gauge HugepagesTotal { get; }
    public Gauge HugepagesFree { get; }
    public Counter HugepagesReleased { get; }
    public Counter HookEvents { get; }
    public Counter Reconciles { get; }
    public Counter Recoveries { get; }
    public Gauge InFlight { get; }

    /// <summary>The Prometheus text exposition of every metric.</summary>
    public async Task WriteAsync(Stream destination, CancellationToken cancellationToken = default) =>
        await Registry.CollectAndExportAsTextAsync(destination, cancellationToken).ConfigureAwait(false);
}
