using KvmNovaTuner.Core.Plans;
using static KvmNovaTuner.Integration.Tests.Libvirt.ExecutorFixture;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>Idempotence, rollback, partial failure and next-boot changes of a whole plan against the test driver.</summary>
public sealed class LibvirtApplyLifecycleTests
{
    private static PlanAction[] FullPlan(ExecutorFixture f) =>
    [
        Action(ActionKinds.VcpuPin, $"{f.Domain}/vcpu/0", ("cpuset", "2")),
        Action(ActionKinds.VcpuPin, $"{f.Domain}/vcpu/1", ("cpuset", "3")),
        Action(ActionKinds.EmulatorPin, f.Domain, ("cpuset", "0-1")),
        Action(ActionKinds.IoThreadAdd, $"{f.Domain}/iothread/2", ("iothread_id", "2")),
        Action(ActionKinds.IoThreadPin, $"{f.Domain}/iothread/2", ("iothread_id", "2"), ("cpuset", "0-1")),
        Action(ActionKinds.Blkio, f.Domain, ("weight", "600")),
        Action(ActionKinds.BlockIoTune, $"{f.Domain}/disk/vda", ("read_iops_sec", "300"), ("read_iops_sec_max", "600")),
        Action(ActionKinds.Memory, f.Domain, ("soft_limit", "900000")),
        Action(ActionKinds.NumaTune, f.Domain, ("numa_nodeset", "0")),
        Action(ActionKinds.DiskDriver, $"{f.Domain}/disk/vda", ("cache", "none"), ("io", "native"), ("iothread", "2")),
        Action(ActionKinds.MemoryBacking, f.Domain, ("nosharepages", "true")),
    ];

    [Test]
    public async Task Apply_Twice_SecondApplyReportsLiveActionsUnchanged_AndNextBootActionsStillPendingRestart()
    {
        using var f = new ExecutorFixture();
        var plan = FullPlan(f);

        var first = await f.ApplyAsync(plan);
        var second = await f.ApplyAsync(plan);

        Assert.That(first.Where(r => r.Status == ActionStatus.Failed).Select(r => $"{r.Kind}: {r.Message}"), Is.Empty);
        Assert.That(first.Count(r => r.Status == ActionStatus.PendingRestart), Is.EqualTo(2), "the two next-boot actions");
        Assert.That(second.Where(r => r.Kind is not (ActionKinds.DiskDriver or ActionKinds.MemoryBacking)).Select(r => $"{r.Kind} {r.Target}: {r.Status}"),
            Is.All.EndsWith(": Unchanged"));
        Assert.That(second.Where(r => r.Kind is ActionKinds.DiskDriver or ActionKinds.MemoryBacking).Select(r => $"{r.Kind}: {r.Status} {r.Message}"),
            Is.All.Contains(": PendingRestart").And.All.Contains("not yet in effect on the running domain"),
            "the running domain still lacks them: only a cold start brings them into effect");
    }

    [Test]
    public async Task NextBootActions_AfterAColdStart_AreUnchanged_BecauseTheRunningDomainShowsThem()
    {
        using var f = new ExecutorFixture();
        PlanAction[] plan =
        [
            Action(ActionKinds.DiskDriver, $"{f.Domain}/disk/vda", ("cache", "none")),
            Action(ActionKinds.MemoryBacking, f.Domain, ("nosharepages", "true")),
        ];
        await f.ApplyAsync(plan);
        var stillRunning = await f.ApplyAsync(plan);
        using (var domain = f.Connection.LookupByUuid(f.Uuid)!)
        {
            domain.Destroy();
            var stopped = await f.ApplyAsync(plan);
            Assert.That(stopped.Select(r => r.Status), Is.All.EqualTo(ActionStatus.Unchanged), "a stopped domain boots with its definition");
            domain.Start();
        }

        var afterStart = await f.ApplyAsync(plan);

        Assert.That(stillRunning.Select(r => r.Status), Is.All.EqualTo(ActionStatus.PendingRestart));
        Assert.That(f.State().Disks.Single().Cache, Is.EqualTo("none"), "the cold start booted the persistent definition");
        Assert.That(afterStart.Select(r => r.Status), Is.All.EqualTo(ActionStatus.Unchanged), string.Join("; ", afterStart.Select(r => r.Message)));
    }

    [Test]
    public async Task Rollback_RestoresEveryRecordedValue()
    {
        using var f = new ExecutorFixture();
        var liveBefore = f.State();
        var persistentBefore = f.State(inactive: true);
        var affinityBefore = EffectiveAffinity(f);

        var applied = await f.ApplyAsync(FullPlan(f));
        var undone = await f.Executor.RollbackAsync(applied);

        Assert.That(undone.Where(r => r.Status == ActionStatus.Failed).Select(r => $"{r.Kind}: {r.Message}"), Is.Empty);
        var live = f.State();
        var persistent = f.State(inactive: true);
        // Unpinned means "all host CPUs": rollback restores the same affinity (now written out explicitly).
        Assert.That(EffectiveAffinity(f), Is.EqualTo(affinityBefore));
        Assert.That(live.IoThreadIds, Is.EqualTo(liveBefore.IoThreadIds));
        Assert.That(live.BlkioWeight, Is.EqualTo(liveBefore.BlkioWeight));
        Assert.That(liveBefore.NumaNodeset, Is.Null);
        Assert.That(undone.Single(r => r.Kind == ActionKinds.NumaTune).Status, Is.EqualTo(ActionStatus.Skipped),
            "a nodeset that was never set cannot be cleared through libvirt: the rollback must say so");
        Assert.That(live.Disks.Single().IoTune.GetValueOrDefault("read_iops_sec"), Is.EqualTo(liveBefore.Disks.Single().IoTune.GetValueOrDefault("read_iops_sec")));
        Assert.That(persistent.Disks.Single().Cache, Is.EqualTo(persistentBefore.Disks.Single().Cache));
        Assert.That(persistent.Disks.Single().Io, Is.EqualTo(persistentBefore.Disks.Single().Io));
        Assert.That(persistent.NoSharePages, Is.EqualTo(persistentBefore.NoSharePages));
    }

    private static string EffectiveAffinity(ExecutorFixture f)
    {
        using var domain = f.Connection.LookupByUuid(f.Uuid)!;
        return $"emulator {domain.GetEmulatorPin()} vcpus {string.Join(' ', domain.GetVcpuPins(2))}";
    }

    [Test]
    public async Task OneFailingAction_DoesNotStopTheOthers()
    {
        using var f = new ExecutorFixture();

        var results = await f.ApplyAsync(
            Action(ActionKinds.EmulatorPin, f.Domain, ("cpuset", "4")),
            Action(ActionKinds.VcpuPin, $"{f.Domain}/vcpu/9", ("cpuset", "1")),
            Action(ActionKinds.Blkio, f.Domain, ("weight", "450")),
            Action(ActionKinds.DiskDriver, $"{f.Domain}/disk/vdz", ("cache", "none")),
            Action(ActionKinds.MemoryBacking, f.Domain, ("nosharepages", "true")));

        Assert.That(results.Select(r => r.Status), Is.EqualTo(new[]
        {
            ActionStatus.Applied, ActionStatus.Failed, ActionStatus.Applied, ActionStatus.Failed, ActionStatus.PendingRestart,
        }));
        Assert.That(results[1].Message, Does.Contain("vCPU 9"));
        Assert.That(results[3].Message, Does.Contain("vdz"));
        Assert.That(f.State().BlkioWeight, Is.EqualTo("450"));
    }

    [Test]
    public async Task NextBootActions_AreInTheInactiveXmlOnly_AndValidateAgainstLibvirtsSchema()
    {
        using var f = new ExecutorFixture();

        var results = await f.ApplyAsync(
            Action(ActionKinds.DiskDriver, $"{f.Domain}/disk/vda", ("cache", "directsync"), ("io", "native"), ("iothread", "3")),
            Action(ActionKinds.MemoryBacking, f.Domain, ("nosharepages", "true")));

        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(ActionStatus.PendingRestart), string.Join("; ", results.Select(r => r.Message)));
        var persistent = f.State(inactive: true);
        Assert.That(persistent.Disks.Single().Cache, Is.EqualTo("directsync"));
        Assert.That(persistent.Disks.Single().IoThread, Is.EqualTo(3));
        Assert.That(persistent.IoThreadIds, Does.Contain(3), "a disk may only name an IO thread the domain defines");
        Assert.That(persistent.NoSharePages, Is.True);
        var live = f.State();
        Assert.That(live.Disks.Single().Cache, Is.Null, "never claimed live");
        Assert.That(live.NoSharePages, Is.False);
        Assert.That(VirtXmlValidate.Domain(f.Xml(inactive: true)), Is.Null);
    }
}
