using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Qos;

namespace KvmNovaTuner.Integration.Tests.Ovs;

/// <summary>The tuner's rows go away with the instance (deleted or moved): no orphan QoS or Queue rows.</summary>
public sealed class OvsCleanupTests
{
    [Test]
    public async Task Release_InstanceDeletedWithPortsStillThere_RemovesQosQueuesAndPolicing()
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress(), new OvsQosOptions { RepairDrift = false });
        var bed = await OvsTestBed.CreateAsync(ports: 2);
        await bed.ApplyAsync(executor, [.. bed.Taps.SelectMany(t => new[] { OvsTestBed.Policing(t, 800, 640), OvsTestBed.Htb(t, 800_000, 900_000, 8192) })]);
        var (qosBefore, queuesBefore) = (await bed.CountAsync("QoS"), await bed.CountAsync("Queue"));
        var release = new PlanAction(ActionKinds.OvsRelease, $"instance/{bed.InstanceUuid}", new Dictionary<string, string>(), ActionTiming.Live, "instance.delete.end");

        var results = await bed.ApplyAsync(executor, release);

        Assert.That(results.Single().Status, Is.EqualTo(ActionStatus.Applied));
        Assert.That(results.Single().Before!["qos_rows"], Is.EqualTo("2"));
        Assert.That(await bed.CountAsync("QoS"), Is.EqualTo(qosBefore - 2));
        Assert.That(await bed.CountAsync("Queue"), Is.EqualTo(queuesBefore - 2));
        foreach (var tap in bed.Taps)
        {
            Assert.That(await bed.GetAsync("Port", tap, "qos"), Is.EqualTo("[]"));
            Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_rate"), Is.EqualTo("0"));
            Assert.That(await bed.GetAsync("Interface", tap, "external_ids:vm-uuid"), Is.EqualTo(bed.InstanceUuid), "os-vif's marks stay");
        }
        Assert.That(await bed.CountMarkedAsync("Interface"), Is.Zero);
        Assert.That((await bed.ApplyAsync(executor, release)).Single().Status, Is.EqualTo(ActionStatus.Unchanged));
        await bed.CleanupAsync(executor);
    }

    [Test]
    public async Task Release_InstanceMovedAway_PortsGone_LeavesNoOrphanRows()
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress(), new OvsQosOptions { RepairDrift = false });
        var bed = await OvsTestBed.CreateAsync(ports: 2);
        await bed.ApplyAsync(executor, [.. bed.Taps.Select(t => OvsTestBed.Htb(t, 800_000, null, null))]);
        await bed.DeleteBridgeAsync(); // os-vif unplugs the ports on the source host; QoS rows are roots and stay

        Assert.That(await bed.CountMarkedAsync("QoS"), Is.EqualTo(2), "orphans before cleanup");
        var removed = await executor.RemoveInstanceAsync(bed.InstanceUuid);

        Assert.That((removed.QosRows, removed.QueueRows), Is.EqualTo((2, 2)));
        Assert.That(await bed.CountMarkedAsync("QoS"), Is.Zero);
        Assert.That(await bed.CountMarkedAsync("Queue"), Is.Zero);
        Assert.That(executor.TrackedPorts.Where(p => p.InstanceUuid == bed.InstanceUuid), Is.Empty);
    }

    [Test]
    public async Task CollectOrphans_UnreferencedTunerRows_DeletesOnlyThose()
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress(), new OvsQosOptions { RepairDrift = false });
        var bed = await OvsTestBed.CreateAsync(ports: 2);
        await bed.ApplyAsync(executor, [.. bed.Taps.Select(t => OvsTestBed.Htb(t, 800_000, null, null))]);
        var kept = await bed.GetAsync("Port", bed.Taps[1], "qos");
        await bed.VsctlAsync("clear", "Port", bed.Taps[0], "qos");

        var removed = await executor.CollectOrphansAsync();

        // Earlier runs may have left orphans too: at least this one went, and this instance keeps exactly its live row.
        Assert.That(removed.QosRows, Is.GreaterThanOrEqualTo(1));
        Assert.That(removed.QueueRows, Is.GreaterThanOrEqualTo(1));
        Assert.That(await bed.CountMarkedAsync("QoS"), Is.EqualTo(1));
        Assert.That(await bed.CountMarkedAsync("Queue"), Is.EqualTo(1));
        Assert.That(await bed.GetAsync("Port", bed.Taps[1], "qos"), Is.EqualTo(kept));
        await bed.CleanupAsync(executor);
    }
}
