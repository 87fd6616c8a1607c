using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Qos;

namespace KvmNovaTuner.Integration.Tests.Ovs;

/// <summary>Someone changes or clears the tuner's columns (an agent restart, an admin): the drift monitor re-applies and counts it.</summary>
public sealed class OvsDriftTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Test]
    public async Task Drift_PolicingClearedByOvsVsctl_IsReappliedAndCounted()
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress());
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];
        await bed.ApplyAsync(executor, OvsTestBed.Policing(tap, 2400, 1920));
        var metrics = new AgentMetrics();
        metrics.CountRepairsOf(executor.Drift!); // subscribed before the watch, so it has counted when the watch completes
        var repaired = Watch(executor, ActionKinds.OvsPolicing);

        await bed.VsctlAsync("set", "Interface", tap, "ingress_policing_rate=0", "ingress_policing_burst=0");

        var result = await repaired.WaitAsync(Bound);
        Assert.That(result.Before!["ingress_policing_rate"], Is.EqualTo("0"));
        Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_rate"), Is.EqualTo("2400"));
        Assert.That(executor.Drift!.DriftRepairs, Is.GreaterThanOrEqualTo(1));
        Assert.That(metrics.DriftRepairs.WithLabels(ActionKinds.OvsPolicing).Value, Is.GreaterThanOrEqualTo(1), "the agent's drift-repair metric moves");
        await bed.CleanupAsync(executor);
    }

    [Test]
    public async Task Drift_QosClearedFromPort_IsReappliedWithoutOrphans()
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress());
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];
        await bed.ApplyAsync(executor, OvsTestBed.Htb(tap, 1_000_000, 2_000_000, null));
        var old = await bed.GetAsync("Port", tap, "qos");
        var repaired = Watch(executor, ActionKinds.OvsQos);

        await bed.VsctlAsync("clear", "Port", tap, "qos");

        await repaired.WaitAsync(Bound);
        var now = await bed.GetAsync("Port", tap, "qos");
        Assert.That(now, Is.Not.EqualTo("[]").And.Not.EqualTo(old));
        Assert.That(await bed.GetAsync("QoS", now, "other_config:max-rate"), Is.EqualTo("2000000"));
        Assert.That(await bed.CountMarkedAsync("QoS"), Is.EqualTo(1), "the old row left behind by the clear is deleted");
        Assert.That(await bed.CountMarkedAsync("Queue"), Is.EqualTo(1));
        await bed.CleanupAsync(executor);
    }

    [Test]
    public async Task Drift_QueueRateChanged_IsRestored()
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress());
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];
        await bed.ApplyAsync(executor, OvsTestBed.Htb(tap, 1_000_000, 2_000_000, null));
        var queue = await bed.GetAsync("QoS", await bed.GetAsync("Port", tap, "qos"), "queues:0");
        var repaired = Watch(executor, ActionKinds.OvsQos);

        await bed.VsctlAsync("set", "Queue", queue, "other_config:max-rate=99000000");

        var result = await repaired.WaitAsync(Bound);
        Assert.That(result.Before!["max-rate"], Is.EqualTo("99000000"));
        Assert.That(await bed.GetAsync("Queue", queue, "other_config:max-rate"), Is.EqualTo("2000000"));
        await bed.CleanupAsync(executor);
    }

    [Test]
    public async Task Drift_PlanChangesBackToBack_MonitorNeverRestoresAFormerRate()
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress());
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];
        var restored = new List<string>();
        executor.Drift!.Repaired += r => { lock (restored) restored.Add(string.Join(",", r.After ?? new Dictionary<string, string>())); };

        // Each write's own monitor update wakes the drift check while the next plan is being applied: a check that
        // read the port's former actions before the new ones were committed would put the former rate back.
        const int Changes = 40;
        for (var i = 1; i <= Changes; i++)
        {
            var result = (await bed.ApplyAsync(executor, OvsTestBed.Policing(tap, 1000 + i * 8, 800))).Single();
            Assert.That(result.Status, Is.EqualTo(ActionStatus.Applied), result.Message);
        }
        await Task.Delay(TimeSpan.FromSeconds(1)); // let the last updates' checks run

        Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_rate"), Is.EqualTo((1000 + Changes * 8).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        lock (restored) Assert.That(restored, Is.Empty, "no drift: every change was the tuner's own");
        await bed.CleanupAsync(executor);
    }

    private static Task<ActionResult> Watch(OvsQosExecutor executor, string kind)
    {
        var repaired = new TaskCompletionSource<ActionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        executor.Drift!.Repaired += r =>
        {
            if (r.Kind == kind)
            {
                repaired.TrySetResult(r);
            }
        };
        return repaired.Task;
    }
}
