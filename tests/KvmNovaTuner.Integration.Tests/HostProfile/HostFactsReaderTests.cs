using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Facts;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

public sealed class HostFactsReaderTests
{
    [Test]
    public async Task Read_FakeTree_SeesEveryFact()
    {
        using var tree = FakeHostTree.Create();
        tree.SetPool(1, 2048, 64, 10);
        var facts = await new HostFactsReader(tree.Root).ReadAsync();
        Assert.Multiple(() =>
        {
            Assert.That(facts.CpuFlags, Does.Contain("vmx"));
            Assert.That(facts.DevKvmPresent, Is.True);
            Assert.That(facts.IntelEpt, Is.EqualTo("Y"));
            Assert.That(facts.AmdNpt, Is.Null);
            Assert.That(SysfsChoice.Parse(facts.ThpEnabledText).Current, Is.EqualTo("madvise"));
            Assert.That(facts.Ksm, Is.EqualTo(new KsmFacts(0, 100, 20, 0, 0)));
            Assert.That(facts.Nodes.Select(n => (n.Id, n.CpuList, n.MemTotalKb)), Is.EqualTo(new[] { (0, "0-3", 16777216L), (1, "4-7", 16777216L) }));
            Assert.That(facts.Nodes[1].Pools, Is.EqualTo(new[] { new HugepagePoolFacts(2048, 64, 10, 0), new HugepagePoolFacts(1048576, 0, 0, 0) }));
            Assert.That(facts.NumaBalancing, Is.EqualTo("1"));
            Assert.That(facts.VhostNetDevicePresent && facts.VhostNetModuleLoaded, Is.True);
            Assert.That(facts.BlockDevices.Select(d => d.Name), Is.EqualTo(new[] { "loop0", "sda" }));
        });
    }

    [Test]
    public async Task Audit_FakeTreeWithoutVirtualisation_HasAnError()
    {
        using var tree = FakeHostTree.Create(cpuFlag: "sse4_2");
        File.Delete(tree.Root.Resolve("/dev/kvm"));
        var findings = HostAuditor.Audit(await new HostFactsReader(tree.Root).ReadAsync(), FlavorDemand.None);
        Assert.That(findings.Single(f => f.Item == "virt.hardware").Severity, Is.EqualTo(FindingSeverity.Error));
    }

    [TestCase("Node 0 MemTotal:       16777216 kB\nNode 0 MemFree:   123 kB", "MemFree", 123L)]
    [TestCase("MemTotal:       33554432 kB\nMemFree:         4000000 kB", "MemTotal", 33554432L)]
    [TestCase("SwapFree: 5 kB\nMemFree: 7 kB", "Free", 0L)]
    public void MeminfoKb_ReadsOnlyTheNamedField(string text, string field, long expected)
    {
        Assert.That(NumaNodeReader.MeminfoKb(text, field), Is.EqualTo(expected));
    }
}
