using KvmNovaTuner.Core.HostProfile;
using static KvmNovaTuner.Core.Tests.HostProfile.SampleHosts;

namespace KvmNovaTuner.Core.Tests.HostProfile;

public sealed class HostAuditorPlatformTests
{
    [Test]
    public void Audit_MoreGuestNumaNodesThanHostNodes_IsAnError()
    {
        var finding = Finding(TwoNodeIntel, Demand(("hw:numa_nodes", "4")), "numa.nodes");
        Assert.Multiple(() =>
        {
            Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Error));
            Assert.That(finding.Message, Does.Contain("4 guest NUMA nodes"));
        });
    }

    [Test]
    public void Audit_TwoNodeFlavorOnTwoNodeHost_Fits()
    {
        Assert.That(Finding(TwoNodeIntel, Demand(("hw:numa_nodes", "2")), "numa.nodes").FitsFlavors, Is.True);
    }

    [Test]
    public void Audit_NoNumaSysfs_IsInfo()
    {
        Assert.That(Finding(TwoNodeIntel with { Nodes = [] }, FlavorDemand.None, "numa.nodes").Severity, Is.EqualTo(FindingSeverity.Info));
    }

    [TestCase("1", "dedicated", FindingSeverity.Warning)]
    [TestCase("1", "shared", FindingSeverity.Ok)]
    [TestCase("0", "dedicated", FindingSeverity.Ok)]
    public void Audit_NumaBalancing_WarnsUnderPinnedGuests(string balancing, string policy, FindingSeverity expected)
    {
        var finding = Finding(TwoNodeIntel with { NumaBalancing = balancing }, Demand(("hw:cpu_policy", policy)), "numa.balancing");
        Assert.That(finding.Severity, Is.EqualTo(expected));
    }

    [TestCase(true, false, FindingSeverity.Ok)]
    [TestCase(false, true, FindingSeverity.Ok)]
    [TestCase(false, false, FindingSeverity.Warning)]
    public void Audit_VhostNet_NeedsDeviceOrModule(bool device, bool module, FindingSeverity expected)
    {
        var facts = TwoNodeIntel with { VhostNetDevicePresent = device, VhostNetModuleLoaded = module };
        Assert.That(Finding(facts, FlavorDemand.None, "vhost_net").Severity, Is.EqualTo(expected));
    }

    [Test]
    public void Audit_IoScheduler_SkipsLoopDevices()
    {
        var items = HostAuditor.Audit(TwoNodeIntel, FlavorDemand.None).Select(f => f.Item).Where(i => i.StartsWith("io.", StringComparison.Ordinal));
        Assert.That(items, Is.EqualTo(new[] { "io.scheduler.sda" }));
    }

    [Test]
    public void Audit_BlkioWeightFlavors_WithoutBfqActive_Warn()
    {
        var finding = Finding(TwoNodeIntel, Demand(("tuner:blkio_weight", "500")), "io.scheduler.sda");
        Assert.Multiple(() =>
        {
            Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Warning));
            Assert.That(finding.Message, Does.Contain("switch this device to bfq"));
        });
    }

    [Test]
    public void Audit_BlkioWeightFlavors_BfqNotOffered_AsksForTheModule()
    {
        var facts = TwoNodeIntel with { BlockDevices = [new BlockDeviceFacts("vda", "none [mq-deadline] kyber")] };
        Assert.That(Finding(facts, Demand(("tuner:blkio_weight", "500")), "io.scheduler.vda").Message, Does.Contain("load the bfq module"));
    }

    [Test]
    public void Audit_BlkioWeightFlavors_BfqActive_Fits()
    {
        var facts = TwoNodeIntel with { BlockDevices = [new BlockDeviceFacts("vda", "none mq-deadline [bfq]")] };
        Assert.That(Finding(facts, Demand(("tuner:blkio_weight", "500")), "io.scheduler.vda").FitsFlavors, Is.True);
    }
}
