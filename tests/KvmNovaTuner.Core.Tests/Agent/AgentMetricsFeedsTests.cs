using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.HostTuning.Controllers;
using KvmNovaTuner.OpenStack.Reporting;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>Each metric the issue lists moves when its source reports.</summary>
public sealed class AgentMetricsFeedsTests
{
    private static async Task<string> ScrapeAsync(AgentMetrics metrics)
    {
        using var buffer = new MemoryStream();
        await metrics.WriteAsync(buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Test]
    public void DriftRepairs_OvsMonitorRepairsPolicing_CountedUnderItsKind()
    {
        var metrics = new AgentMetrics();

        metrics.RecordDriftRepair(new ActionResult(ActionKinds.OvsPolicing, "port/tap1", ActionStatus.Applied, null, null, null));
        metrics.RecordDriftRepair(new ActionResult(ActionKinds.OvsPolicing, "port/tap2", ActionStatus.Applied, null, null, null));

        Assert.That(metrics.DriftRepairs.WithLabels(ActionKinds.OvsPolicing).Value, Is.EqualTo(2));
    }

    [Test]
    public void ControllerStep_KsmDecisionAndReleasedPool_SetKsmGaugesPoolSizeAndReleasedPages()
    {
        var metrics = new AgentMetrics();
        var ksm = new KsmDecision(1, 1250, 20, "memory pressure");
        var released = new PoolDecision(1, 2048, 512, 384, 0, "release 128 unused pages");

        metrics.RecordControllerStep(new ControllerStepReport(ksm, [released]));

        Assert.Multiple(() =>
        {
            Assert.That(metrics.KsmRunning.Value, Is.EqualTo(1));
            Assert.That(metrics.KsmPagesToScan.Value, Is.EqualTo(1250));
            Assert.That(metrics.HugepagesTotal.WithLabels("1", "2048").Value, Is.EqualTo(384));
            Assert.That(metrics.HugepagesReleased.WithLabels("1", "2048").Value, Is.EqualTo(128));
        });
    }

    [Test]
    public async Task OutboxDepth_Scraped_FollowsTheOutboxAsItFillsAndDrains()
    {
        var dir = Path.Combine(Path.GetTempPath(), "knt-outbox-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        try
        {
            var outbox = new OutboxStore(Path.Combine(dir, "outbox.db"));
            var metrics = new AgentMetrics();
            metrics.TrackOutbox(outbox);
            var now = DateTimeOffset.UnixEpoch;

            outbox.Put("s1", "tuner:status", "applied", now);
            outbox.Put("s2", "tuner:status", "failed", now);
            var filled = await ScrapeAsync(metrics);
            outbox.Complete(outbox.All()[0]);
            var drained = await ScrapeAsync(metrics);

            Assert.Multiple(() =>
            {
                Assert.That(filled, Does.Contain("kvm_nova_tuner_outbox_depth 2"));
                Assert.That(drained, Does.Contain("kvm_nova_tuner_outbox_depth 1"));
            });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
