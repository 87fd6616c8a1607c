using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Tests.Hooks;

public sealed class HugepageRequirementTests
{
    /// <summary>Two NUMA nodes with the given free 2 MiB pages.</summary>
    private static HostTopology Host(long freeNode0, long freeNode1) => new(
        [Cell(0, freeNode0), Cell(1, freeNode1)], new HashSet<int>());

    private static NumaCell Cell(int id, long free2M) =>
        new(id, [id], new Dictionary<int, IReadOnlyList<int>>(), 8 * 1024 * 1024, [new HugepagePool(2048, free2M, free2M), new HugepagePool(1048576, 0, 0)]);

    private static string? Check(HostTopology host, long? pageKb = 2048, IReadOnlyList<(int, long, string?)>? cells = null, params string[] specs)
    {
        var xml = HookXml.Domain(HookXml.Specs(specs), memoryMb: 1024, pageSizeKb: pageKb, cells: cells);
        var domain = HookDomain.Parse(xml);
        var spec = SpecParser.Parse(domain.Nova!.ExtraSpecs, domain.Nova.Vcpus, domain.Nova.MemoryMb).Spec;
        return HugepageRequirement.Check(domain, spec, host);
    }

    [Test]
    public void Check_WithoutRequire_NeverRefuses()
    {
        Assert.That(Check(Host(0, 0), 2048, null, "hw:mem_page_size=2048"), Is.Null);
    }

    [Test]
    public void Check_RequireWithoutHugepages_NeverRefuses()
    {
        Assert.That(Check(Host(0, 0), null, null, "tuner:require=true", "hw:mem_page_size=small"), Is.Null);
    }

    [Test]
    public void Check_BoundNodeWithoutFreePages_NamesNodeSizeAndCounts()
    {
        var reason = Check(Host(512, 0), 2048, [(0, 1024, "1")], "tuner:require=true", "hw:mem_page_size=2048");

        Assert.That(reason, Is.EqualTo("the guest needs 512 free 2048 kB hugepages on host NUMA node(s) 1 and 0 are free"));
    }

    [Test]
    public void Check_BoundNodeWithEnoughFreePages_Accepts()
    {
        Assert.That(Check(Host(0, 512), 2048, [(0, 1024, "1")], "tuner:require=true", "hw:mem_page_size=2MB"), Is.Null);
    }

    [Test]
    public void Check_UnboundTwoCellGuest_NeedsTwoNodesWithPages()
    {
        var cells = new List<(int, long, string?)> { (0, 512, null), (1, 512, null) };
        Assert.Multiple(() =>
        {
            Assert.That(Check(Host(256, 256), 2048, cells, "tuner:require=true", "hw:mem_page_size=2048"), Is.Null);
            Assert.That(Check(Host(512, 255), 2048, cells, "tuner:require=true", "hw:mem_page_size=2048"),
                Does.Contain("needs 2 NUMA node(s) with 256 free 2048 kB hugepages each"));
        });
    }

    [Test]
    public void Check_LargeWithoutPageInXml_AcceptsAnyPoolThatCovers()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Check(Host(0, 512), null, null, "tuner:require=true", "hw:mem_page_size=large"), Is.Null);
            Assert.That(Check(Host(10, 10), null, null, "tuner:require=true", "hw:mem_page_size=large"), Does.Contain("the most on one node is 10"));
        });
    }

    [Test]
    public void Check_UnknownHost_Refuses()
    {
        Assert.That(Check(HostTopology.Unknown, 2048, null, "tuner:require=true", "hw:mem_page_size=2048"), Does.Contain("could not be read"));
    }
}
