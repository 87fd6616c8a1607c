using KvmNovaTuner.Core.Plans;
using static KvmNovaTuner.Integration.Tests.Libvirt.ExecutorFixture;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>Every libvirt action kind through the executor against the test driver.</summary>
public sealed class LibvirtExecutorTests
{
    [Test]
    public async Task VcpuPin_PinsTheVcpuAndRecordsTheFormerAffinity()
    {
        using var f = new ExecutorFixture();

        var result = (await f.ApplyAsync(Action(ActionKinds.VcpuPin, $"{f.Domain}/vcpu/1", ("cpuset", "3,7")))).Single();

        Assert.That(result.Status, Is.EqualTo(ActionStatus.Applied), result.Message);
        Assert.That(result.Before!["cpuset"], Is.Not.EqualTo("3,7"));
        Assert.That(result.After!["cpuset"], Is.EqualTo("3,7"));
        Assert.That(f.State().VcpuPins[1], Is.EqualTo("3,7"));
        Assert.That(result.Message, Does.Contain("current state only"), "the test driver refuses live+config on vcpupin; the result must say so");
    }

    [Test]
    public async Task EmulatorPin_IsAppliedAndVisibleInTheLiveXml()
    {
        using var f = new ExecutorFixture();

        var result = (await f.ApplyAsync(Action(ActionKinds.EmulatorPin, f.Domain, ("cpuset", "0-1")))).Single();

        Assert.That(result.Status, Is.EqualTo(ActionStatus.Applied), result.Message);
        Assert.That(f.State().EmulatorPin, Is.EqualTo("0-1"));
    }

    [Test]
    public async Task IoThreadAddThenPin_CreatesThePinnedIoThread()
    {
        using var f = new ExecutorFixture();

        var results = await f.ApplyAsync(
            Action(ActionKinds.IoThreadAdd, $"{f.Domain}/iothread/2", ("iothread_id", "2")),
            Action(ActionKinds.IoThreadPin, $"{f.Domain}/iothread/2", ("iothread_id", "2"), ("cpuset", "6-7")));

        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(ActionStatus.Applied), string.Join("; ", results.Select(r => r.Message)));
        Assert.That(results[0].Before!["iothread_id"], Is.Empty);
        var state = f.State();
        Assert.That(state.IoThreadIds, Does.Contain(2));
        Assert.That(state.IoThreadPins[2], Is.EqualTo("6-7"));
    }

    [Test]
    public async Task Blkio_SetsTheWeight()
    {
        using var f = new ExecutorFixture();

        var result = (await f.ApplyAsync(Action(ActionKinds.Blkio, f.Domain, ("weight", "700")))).Single();

        Assert.That(result.Status, Is.EqualTo(ActionStatus.Applied), result.Message);
        Assert.That(f.State().BlkioWeight, Is.EqualTo("700"));
    }

    [Test]
    public async Task BlockIoTune_ThrottlesTheDisk()
    {
        using var f = new ExecutorFixture();

        var result = (await f.ApplyAsync(Action(ActionKinds.BlockIoTune, $"{f.Domain}/disk/vda",
            ("total_iops_sec", "500"), ("total_iops_sec_max", "1000"), ("size_iops_sec", "4096")))).Single();

        Assert.That(result.Status, Is.EqualTo(ActionStatus.Applied), result.Message);
        Assert.That(result.Before!["total_iops_sec"], Is.EqualTo("0"));
        var iotune = f.State().Disks.Single().IoTune;
        Assert.That(iotune["total_iops_sec"], Is.EqualTo("500"));
        Assert.That(iotune["total_iops_sec_max"], Is.EqualTo("1000"));
    }

    [Test]
    public async Task Memory_SetsTheSoftLimitAndReportsUnlimitedByName()
    {
        using var f = new ExecutorFixture();

        var result = (await f.ApplyAsync(Action(ActionKinds.Memory, f.Domain, ("soft_limit", "786432"), ("hard_limit", "unlimited")))).Single();

        Assert.That(result.Status, Is.EqualTo(ActionStatus.Applied), result.Message);
        Assert.That(result.After!["hard_limit"], Is.EqualTo("unlimited"));
        Assert.That(f.State().MemoryTune["soft_limit"], Is.EqualTo("786432"));
    }

    [Test]
    public async Task NumaTune_SetsTheNodesetOfARunningDomain()
    {
        using var f = new ExecutorFixture();

        var result = (await f.ApplyAsync(Action(ActionKinds.NumaTune, f.Domain, ("numa_nodeset", "1")))).Single();

        Assert.That(result.Status, Is.EqualTo(ActionStatus.Applied), result.Message);
        Assert.That(f.State().NumaNodeset, Is.EqualTo("1"));
    }

    [Test]
    public async Task Scheduler_TheTestDriverRefusesCpuShares_ReportedAsFailedWithLibvirtsMessage()
    {
        using var f = new ExecutorFixture();

        var result = (await f.ApplyAsync(Action(ActionKinds.Scheduler, f.Domain, ("cpu_shares", "2048")))).Single();

        Assert.That(result.Status, Is.EqualTo(ActionStatus.Failed));
        Assert.That(result.Message, Does.Contain("cpu_shares"));
        Assert.That(result.Message, Does.Contain("libvirt error"));
    }

    [Test]
    public async Task Scheduler_DriverIgnoresTheValue_ReadBackReportsTheDrift()
    {
        using var f = new ExecutorFixture();

        var result = (await f.ApplyAsync(Action(ActionKinds.Scheduler, f.Domain, ("weight", "100")))).Single();

        Assert.That(result.Status, Is.EqualTo(ActionStatus.Failed), "the test driver accepts and ignores weight; claiming 'applied' would be a lie");
        Assert.That(result.Message, Does.Contain("read back differs"));
    }

    [Test]
    public async Task DryRun_ChangesNothingAndSaysWhatItWouldDo()
    {
        using var f = new ExecutorFixture();
        var before = f.Xml();

        var result = (await f.ApplyAsync(true, Action(ActionKinds.EmulatorPin, f.Domain, ("cpuset", "5")))).Single();

        Assert.That(result.Status, Is.EqualTo(ActionStatus.Skipped));
        Assert.That(result.Message, Does.StartWith("dry run"));
        Assert.That(f.Xml(), Is.EqualTo(before));
    }

    [Test]
    public async Task UnknownDomain_FailsOnlyThatAction()
    {
        using var f = new ExecutorFixture();

        var results = await f.ApplyAsync(
            Action(ActionKinds.EmulatorPin, $"domain/{Guid.NewGuid()}", ("cpuset", "1")),
            Action(ActionKinds.EmulatorPin, f.Domain, ("cpuset", "2")));

        Assert.That(results.Select(r => r.Status), Is.EqualTo(new[] { ActionStatus.Failed, ActionStatus.Applied }));
        Assert.That(results[0].Message, Does.Contain("no libvirt domain"));
    }
}
