using System.Globalization;
using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.HostTuning.Controllers;
using KvmNovaTuner.OpenStack.Reporting;
using KvmNovaTuner.Ovs.Qos;

namespace KvmNovaTuner.Agent.Observability;

/// <summary>How each source of the agent's state moves its metrics: one place per source, so every metric has a feeder.</summary>
public static class AgentMetricsFeeds
{
    /// <summary>Hook path label: the event came over the agent's socket.</summary>
    public const string HookSocket = "socket";

    /// <summary>Hook path label: the event was replayed from the spool (recorded while the agent was down).</summary>
    public const string HookSpool = "spool";

    /// <summary>Counts every action the OVS drift monitor re-applies.</summary>
    public static void CountRepairsOf(this AgentMetrics metrics, OvsDriftMonitor drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        drift.Repaired += metrics.RecordDriftRepair;
    }

    /// <summary>One drifted setting re-applied.</summary>
    public static void RecordDriftRepair(this AgentMetrics metrics, ActionResult repaired)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(repaired);
        metrics.DriftRepairs.WithLabels(repaired.Kind).Inc();
    }

    /// <summary>One finished reconcile scan: its outcome and the settings it repaired, by kind.</summary>
    public static void RecordReconcile(this AgentMetrics metrics, ReconcileSummary summary)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(summary);
        metrics.Reconciles.WithLabels(summary.Failed == 0 ? "ok" : "partial").Inc();
        foreach (var (kind, count) in summary.RepairedKinds ?? new Dictionary<string, int>())
        {
            metrics.DriftRepairs.WithLabels(kind).Inc(count);
        }
    }

    /// <summary>One controller step: the KSM settings written and the hugepage pools released.</summary>
    public static void RecordControllerStep(this AgentMetrics metrics, ControllerStepReport report)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(report);
        if (report.Ksm is { } ksm)
        {
            metrics.KsmRunning.Set(ksm.Run);
            metrics.KsmPagesToScan.Set(ksm.PagesToScan);
        }
        foreach (var pool in report.Released)
        {
            string[] labels = [pool.Node.ToString(CultureInfo.InvariantCulture), pool.PageSizeKb.ToString(CultureInfo.InvariantCulture)];
            metrics.HugepagesTotal.WithLabels(labels).Set(pool.NewTotal);
            if (pool.CurrentTotal > pool.NewTotal) metrics.HugepagesReleased.WithLabels(labels).Inc(pool.CurrentTotal - pool.NewTotal);
        }
    }

    /// <summary>One libvirt hook event accepted for handling, by operation and the path it came by.</summary>
    public static void RecordHookEvent(this AgentMetrics metrics, string operation, string path)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.HookEvents.WithLabels(operation, path).Inc();
    }

    /// <summary>Reads the outbox depth at every scrape, so the gauge falls as the delivery loop drains it.</summary>
    public static void TrackOutbox(this AgentMetrics metrics, OutboxStore outbox)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(outbox);
        metrics.Registry.AddBeforeCollectCallback(() =>
        {
            try
            {
                metrics.OutboxDepth.Set(outbox.All().Count);
            }
            catch (System.Data.Common.DbException)
            {
                // A busy or unreadable outbox keeps the last depth; the scrape itself must not fail.
            }
        });
    }
}
