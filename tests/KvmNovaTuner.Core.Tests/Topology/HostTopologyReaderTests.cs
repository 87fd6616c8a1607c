using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.Topology;

namespace KvmNovaTuner.Core.Tests.Topology;

public sealed class HostTopologyReaderTests
{
    [Test]
    public async Task Read_TwoNodeTree_GivesCellsCpusSiblingsAndMemory()
    {
        using var tree = FakeHostTree.Numa(nodes: 2, coresPerNode: 2, memoryKbPerNode: 8_000_000);
        var topology = await new HostTopologyReader(new HostRoot(tree.Root)).ReadAsync();
        Assert.That(topology.Cells.Select(c => c.Id), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(topology.Cells[0].Cpus, Is.EqualTo(new[] { 0, 1, 4, 5 }));
        Assert.That(topology.Cells[1].Cpus, Is.EqualTo(new[] { 2, 3, 6, 7 }));
        Assert.That(topology.Cells[1].SiblingsByCpu[3], Is.EqualTo(new[] { 3, 7 }));
        Assert.That(topology.Cells[0].MemoryKb, Is.EqualTo(8_000_000));
    }

    [Test]
    public async Task Read_HugepagePools_PerNodeAndSize()
    {
        using var tree = FakeHostTree.Numa(2, 2);
        tree.Pool(1, 2048, total: 512, free: 100);
        var topology = await new HostTopologyReader(new HostRoot(tree.Root)).ReadAsync();
        Assert.That(topology.Cells[1].Pool(2048), Is.EqualTo(new Core.Topology.HugepagePool(2048, 512, 100)));
        Assert.That(topology.Cells[1].Pool(1048576), Is.EqualTo(new Core.Topology.HugepagePool(1048576, 0, 0)));
        Assert.That(topology.Cells[0].Pool(2048)!.Total, Is.Zero);
    }

    [Test]
    public async Task Read_KernelKnobs_TakeTheBracketedChoice()
    {
        using var tree = FakeHostTree.Numa(1, 1);
        var topology = await new HostTopologyReader(new HostRoot(tree.Root)).ReadAsync();
        Assert.That(topology.KernelKnobs["/sys/kernel/mm/transparent_hugepage/enabled"], Is.EqualTo("madvise"));
        Assert.That(topology.KernelKnobs["/sys/kernel/mm/ksm/run"], Is.EqualTo("0"));
        Assert.That(topology.KernelKnobs["/proc/sys/kernel/numa_balancing"], Is.EqualTo("1"));
        Assert.That(topology.KernelKnobs.ContainsKey("/sys/module/kvm_intel/parameters/ept"), Is.False, "absent knobs are left out");
    }

    [Test]
    public async Task Read_NoNovaConfig_EveryCpuIsHousekeeping()
    {
        using var tree = FakeHostTree.Numa(2, 2);
        var topology = await new HostTopologyReader(new HostRoot(tree.Root)).ReadAsync();
        Assert.That(topology.HousekeepingCpus, Is.EquivalentTo(Enumerable.Range(0, 8)));
    }

    [Test]
    public async Task Read_NovaDedicatedSet_HousekeepingIsTheRest()
    {
        using var tree = FakeHostTree.Numa(2, 2);
        tree.Write("/etc/nova/nova.conf", "[DEFAULT]\ncpu_dedicated_set = 0-7\n\n[compute]\n# comment\ncpu_shared_set = 0,2\ncpu_dedicated_set = 1,3,5-7\n\n[libvirt]\nvirt_type = kvm");
        var topology = await new HostTopologyReader(new HostRoot(tree.Root)).ReadAsync();
        Assert.That(topology.HousekeepingCpus, Is.EquivalentTo(new[] { 0, 2, 4 }));
    }

    [Test]
    public async Task Read_DedicatedSetWithExclusion_IsResolvedAgainstTheHostsCpus()
    {
        using var tree = FakeHostTree.Numa(1, 2);
        var topology = await new HostTopologyReader(new HostRoot(tree.Root)).ReadAsync(new HousekeepingOptions { CpuDedicatedSet = "^0" });
        Assert.That(topology.HousekeepingCpus, Is.EquivalentTo(new[] { 0 }));
    }

    [Test]
    public async Task Read_ExplicitHousekeeping_WinsAndIsLimitedToTheHostsCpus()
    {
        using var tree = FakeHostTree.Numa(1, 2);
        tree.Write("/etc/nova/nova.conf", "[compute]\ncpu_dedicated_set = 0-3");
        var topology = await new HostTopologyReader(new HostRoot(tree.Root)).ReadAsync(new HousekeepingOptions { HousekeepingCpus = "1,2,40" });
        Assert.That(topology.HousekeepingCpus, Is.EquivalentTo(new[] { 1, 2 }));
    }

    [Test]
    public async Task Read_HostWithoutNodeDirectories_IsOneCellFromOnlineCpusAndProcMeminfo()
    {
        using var tree = new FakeHostTree();
        tree.Write("/sys/devices/system/cpu/online", "0-3");
        tree.Write("/proc/meminfo", "MemTotal:       4000000 kB\nMemFree:  10 kB");
        tree.Write("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "10");
        tree.Write("/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages", "7");
        var topology = await new HostTopologyReader(new HostRoot(tree.Root)).ReadAsync();
        var cell = topology.Cells.Single();
        Assert.That(cell.Cpus, Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(cell.MemoryKb, Is.EqualTo(4000000));
        Assert.That(cell.Pool(2048), Is.EqualTo(new Core.Topology.HugepagePool(2048, 10, 7)));
        Assert.That(cell.SiblingsByCpu[2], Is.EqualTo(new[] { 2 }), "no topology files: a CPU is its own sibling");
    }

    [Test]
    public void Read_MalformedCpuList_NamesTheFile()
    {
        using var tree = FakeHostTree.Numa(1, 1);
        tree.Write("/sys/devices/system/node/node0/cpulist", "zero");
        var e = Assert.ThrowsAsync<HostTopologyException>(() => new HostTopologyReader(new HostRoot(tree.Root)).ReadAsync());
        Assert.That(e!.HostPath, Is.EqualTo("/sys/devices/system/node/node0/cpulist"));
    }

    [Test]
    public void Read_MalformedDedicatedSet_NamesNovaConf()
    {
        using var tree = FakeHostTree.Numa(1, 1);
        tree.Write("/etc/nova/nova.conf", "[compute]\ncpu_dedicated_set = all");
        var e = Assert.ThrowsAsync<HostTopologyException>(() => new HostTopologyReader(new HostRoot(tree.Root)).ReadAsync());
        Assert.That(e!.Message, Does.Contain("cpu_dedicated_set"));
    }

    [TestCase("always [madvise] never", "madvise")]
    [TestCase("[always] madvise never", "always")]
    [TestCase("1", "1")]
    public void KernelKnob_Current_IsTheBracketedWordOrTheText(string text, string current) =>
        Assert.That(KernelKnob.Current(text), Is.EqualTo(current));
}
