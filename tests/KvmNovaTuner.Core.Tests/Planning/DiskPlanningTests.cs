using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.State;
using static KvmNovaTuner.Core.Tests.Planning.PlanningFixtures;

namespace KvmNovaTuner.Core.Tests.Planning;

public sealed class DiskPlanningTests
{
    private static readonly (string, string)[] IoFlavor =
    [
        (SpecKeys.IoThreads, "2"), (SpecKeys.DiskCache, "none"), (SpecKeys.DiskIo, "native"), (SpecKeys.BlkioWeight, "800"),
        ("quota:disk_total_iops_sec", "5000"), ("tuner:disk_total_iops_sec_max", "10000"), ("tuner:disk_total_iops_sec_max_length", "30"),
        (SpecKeys.DiskSizeIopsSec, "16384"),
    ];

    private static DomainState ThreeDisks() => Domain(d => d with { Disks = [Disk("vda"), Disk("vdb"), Disk("vdc", serial: "4f5c-volume")] });

    [Test]
    public void Plan_BlkioWeight_IsLiveOnTheDomain()
    {
        var blkio = Plan(Request(IoFlavor)).OfKind(ActionKinds.Blkio).Single();
        Assert.That(blkio.Target, Is.EqualTo($"domain/{Uuid}"));
        Assert.That(blkio.Settings, Is.EquivalentTo(new Dictionary<string, string> { ["weight"] = "800" }));
        Assert.That(blkio.When, Is.EqualTo(ActionTiming.Live));
        Assert.That(Plan(Request(IoFlavor), observed: With(Domain(d => d with { BlkioWeight = "800" }))).OfKind(ActionKinds.Blkio), Is.Empty);
    }

    [Test]
    public void Plan_IoTune_CombinesNovasQuotaAndTheTunersBurstPerImageDisk()
    {
        var plan = Plan(Request(IoFlavor), observed: With(ThreeDisks()));
        var tunes = plan.OfKind(ActionKinds.BlockIoTune);
        Assert.That(tunes.Select(t => t.Target), Is.EqualTo(new[] { $"domain/{Uuid}/disk/vda", $"domain/{Uuid}/disk/vdb" }), "the volume (serial) is Cinder's");
        Assert.That(tunes[0].Settings, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["total_iops_sec"] = "5000", ["total_iops_sec_max"] = "10000", ["total_iops_sec_max_length"] = "30", ["size_iops_sec"] = "16384",
        }));
        Assert.That(tunes.All(t => t.When == ActionTiming.Live), Is.True);
    }

    [Test]
    public void Plan_QuotaOnlyIoTune_IsAVerification()
    {
        var tune = Plan(Request(("quota:disk_read_bytes_sec", "1000")), observed: With(ThreeDisks())).OfKind(ActionKinds.BlockIoTune)[0];
        Assert.That(tune.Reason, Does.StartWith("verify"));
    }

    [Test]
    public void Plan_IoTuneAlreadyInEffect_IsNotPlanned()
    {
        var domain = Domain(d => d with { Disks = [Disk("vda") with { IoTune = new Dictionary<string, string> { ["read_bytes_sec"] = "1000", ["write_bytes_sec"] = "0" } }] });
        Assert.That(Plan(Request(("quota:disk_read_bytes_sec", "1000")), observed: With(domain)).OfKind(ActionKinds.BlockIoTune), Is.Empty);
    }

    [Test]
    public void Plan_DiskDriver_IsNextBootAndSpreadsDisksOverIoThreads()
    {
        var drivers = Plan(Request(IoFlavor), observed: With(ThreeDisks())).OfKind(ActionKinds.DiskDriver);
        Assert.That(drivers.Select(d => d.Settings["iothread"]), Is.EqualTo(new[] { "1", "2", "1" }));
        Assert.That(drivers.All(d => d.Settings["cache"] == "none" && d.Settings["io"] == "native"), Is.True);
        Assert.That(drivers.All(d => d.When == ActionTiming.NextBoot), Is.True);
    }

    [Test]
    public void Plan_DiskDriverAlreadyInPlace_IsNotPlanned()
    {
        var domain = Domain(d => d with { Disks = [new DiskState("vda", "none", "native", 1, new Dictionary<string, string>())] });
        Assert.That(Plan(Request((SpecKeys.DiskCache, "none"), (SpecKeys.DiskIo, "native"), (SpecKeys.IoThreads, "1")), observed: With(domain)).OfKind(ActionKinds.DiskDriver), Is.Empty);
    }

    [Test]
    public void Plan_CdromIsNotTuned()
    {
        var domain = Domain(d => d with { Disks = [Disk("hda") with { Device = "cdrom" }] });
        Assert.That(Plan(Request((SpecKeys.DiskCache, "none")), observed: With(domain)).Actions, Is.Empty);
    }

    [Test]
    public void Plan_UnknownDisks_PlansNoDiskActionAndSaysSo()
    {
        var plan = Plan(Request(IoFlavor));
        Assert.That(plan.Actions.Where(a => a.Kind is ActionKinds.BlockIoTune or ActionKinds.DiskDriver), Is.Empty);
        Assert.That(plan.Diagnostics.Any(d => d.Key == "disks"), Is.True);
    }
}
