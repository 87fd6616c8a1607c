using KvmNovaTuner.Core.HostProfile;

namespace KvmNovaTuner.Core.Tests.HostProfile;

public sealed class FlavorDemandTests
{
    [TestCase("2MB", 2048L)]
    [TestCase("2048", 2048L)]
    [TestCase("1GB", 1048576L)]
    [TestCase("1G", 1048576L)]
    [TestCase("2048KB", 2048L)]
    public void PageSizeKb_ExplicitSizes_AreConvertedToKiB(string value, long expected)
    {
        Assert.That(FlavorDemand.PageSizeKb(value), Is.EqualTo(expected));
    }

    [TestCase("large")]
    [TestCase("small")]
    [TestCase("any")]
    [TestCase("")]
    [TestCase("-2MB")]
    public void PageSizeKb_SymbolicOrInvalid_IsNull(string value)
    {
        Assert.That(FlavorDemand.PageSizeKb(value), Is.Null);
    }

    [TestCase("0", false, true)]
    [TestCase("no", false, true)]
    [TestCase("False", false, true)]
    [TestCase("1", true, false)]
    [TestCase("Yes", true, false)]
    [TestCase("maybe", false, false)]
    public void FromExtraSpecs_KsmAndRealtimeTakeNovasBooleanWords(string value, bool dense, bool ksmOff)
    {
        var demand = FlavorDemand.FromExtraSpecs([new Dictionary<string, string> { ["tuner:ksm"] = value, ["hw:cpu_realtime"] = value }]);
        Assert.Multiple(() =>
        {
            Assert.That(demand.Dense, Is.EqualTo(dense));
            Assert.That(demand.KsmOff, Is.EqualTo(ksmOff));
            Assert.That(demand.Realtime, Is.EqualTo(dense), "realtime follows the same words");
        });
    }

    [Test]
    public void FromExtraSpecs_CombinesEveryFlavor()
    {
        var demand = FlavorDemand.FromExtraSpecs(
        [
            new Dictionary<string, string> { ["hw:mem_page_size"] = "1GB", ["hw:cpu_policy"] = "dedicated", ["hw:numa_nodes"] = "2" },
            new Dictionary<string, string> { ["tuner:ksm"] = "off", ["quota:vif_inbound_average"] = "1000" },
            new Dictionary<string, string> { ["hw:cpu_realtime"] = "yes", ["tuner:blkio_weight"] = "500", ["hw:mem_page_size"] = "2MB" },
        ]);
        Assert.Multiple(() =>
        {
            Assert.That(demand.Known, Is.True);
            Assert.That(demand.HugepageSizesKb, Is.EquivalentTo(new[] { 2048L, 1048576L }));
            Assert.That(demand.Pinned, Is.True);
            Assert.That(demand.Realtime, Is.True);
            Assert.That(demand.KsmOff, Is.True);
            Assert.That(demand.Dense, Is.False);
            Assert.That(demand.BlkioWeight, Is.True);
            Assert.That(demand.MaxGuestNumaNodes, Is.EqualTo(2));
            Assert.That(demand.NetworkQuota, Is.True);
        });
    }

    [Test]
    public void FromExtraSpecs_SharedFlavor_AsksNothingSpecial()
    {
        var demand = FlavorDemand.FromExtraSpecs([new Dictionary<string, string> { ["hw:cpu_policy"] = "shared" }]);
        Assert.Multiple(() =>
        {
            Assert.That(demand.HugepageSizesKb, Is.Empty);
            Assert.That(new[] { demand.Pinned, demand.Realtime, demand.KsmOff, demand.Dense, demand.BlkioWeight, demand.NetworkQuota }, Has.All.False);
            Assert.That(demand.MaxGuestNumaNodes, Is.EqualTo(1));
        });
    }
}
