using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;

namespace KvmNovaTuner.Core.Tests.Specs;

public sealed class NumaSpecTests
{
    [Test]
    public void NumaNodes_Symmetric_SplitsVcpusAndMemoryEvenly()
    {
        var result = SpecAssert.Parse(4, 4096, (SpecKeys.NumaNodes, "2"));
        SpecAssert.IsClean(result);
        Assert.That(result.Spec.NumaCells.Select(c => c.MemoryMb), Is.EqualTo(new[] { 2048L, 2048L }));
        Assert.That(result.Spec.NumaCells[1].Vcpus, Is.EquivalentTo(new[] { 2, 3 }));
    }

    [Test]
    public void NumaNodes_NotDividingVcpusOrMemory_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse(3, 4096, (SpecKeys.NumaNodes, "2")), SpecKeys.NumaNodes, "does not divide");

    [TestCase("0", "is outside 1..64")]
    [TestCase("two", "is not an integer")]
    public void NumaNodes_NotAPositiveInteger_IsAnError(string value, string rule) =>
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.NumaNodes, value)), SpecKeys.NumaNodes, rule);

    [Test]
    public void NumaCellsAndMemory_Asymmetric_AreRead()
    {
        var result = SpecAssert.Parse(4, 4096, (SpecKeys.NumaNodes, "2"), ("hw:numa_cpus.0", "0"), ("hw:numa_mem.0", "1024"), ("hw:numa_cpus.1", "1-3"), ("hw:numa_mem.1", "3072"));
        SpecAssert.IsClean(result);
        Assert.That(result.Spec.NumaCells[0].Vcpus, Is.EquivalentTo(new[] { 0 }));
        Assert.That(result.Spec.NumaCells[1].MemoryMb, Is.EqualTo(3072));
    }

    [Test]
    public void NumaCells_MissingForANode_NamesTheMissingKeys()
    {
        var result = SpecAssert.Parse(4, 4096, (SpecKeys.NumaNodes, "2"), ("hw:numa_cpus.0", "0-1"), ("hw:numa_mem.0", "2048"));
        SpecAssert.HasError(result, "hw:numa_cpus.1", "must be given for every node");
        SpecAssert.HasError(result, "hw:numa_mem.1", "must be given for every node");
    }

    [Test]
    public void NumaCpus_NotCoveringEveryVcpu_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse(4, 4096, (SpecKeys.NumaNodes, "2"), ("hw:numa_cpus.0", "0"), ("hw:numa_mem.0", "2048"), ("hw:numa_cpus.1", "1-2"), ("hw:numa_mem.1", "2048")),
            "hw:numa_cpus.N", "missing 3");

    [Test]
    public void NumaCpus_GivingAVcpuTwice_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse(4, 4096, (SpecKeys.NumaNodes, "2"), ("hw:numa_cpus.0", "0-2"), ("hw:numa_mem.0", "2048"), ("hw:numa_cpus.1", "2-3"), ("hw:numa_mem.1", "2048")),
            "hw:numa_cpus.1", "repeats vCPU(s) 2");

    [Test]
    public void NumaMem_NotAddingUpToRam_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse(4, 4096, (SpecKeys.NumaNodes, "2"), ("hw:numa_cpus.0", "0-1"), ("hw:numa_mem.0", "1024"), ("hw:numa_cpus.1", "2-3"), ("hw:numa_mem.1", "1024")),
            "hw:numa_mem.N", "flavor's 4096 MB");

    [Test]
    public void NumaCpus_ForANodeBeyondNumaNodes_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse(4, 4096, (SpecKeys.NumaNodes, "1"), ("hw:numa_cpus.0", "0-3"), ("hw:numa_mem.0", "4096"), ("hw:numa_cpus.1", "0"), ("hw:numa_mem.1", "1")),
            "hw:numa_cpus.1", "outside 0-0");

    [Test]
    public void NumaCpus_BeyondTheFlavorsVcpus_IsAnError() =>
        SpecAssert.HasError(SpecAssert.Parse(4, 4096, (SpecKeys.NumaNodes, "1"), ("hw:numa_cpus.0", "0-5"), ("hw:numa_mem.0", "4096")), "hw:numa_cpus.0", "beyond the flavor's 4");

    [Test]
    public void NumaCpus_WithoutNumaNodes_IsIgnoredWithAWarning()
    {
        var result = SpecAssert.Parse(("hw:numa_cpus.0", "0-3"));
        Assert.That(result.About("hw:numa_cpus.0", DiagnosticSeverity.Warning), Has.Count.EqualTo(1));
        Assert.That(result.Spec.NumaCells, Is.Empty);
    }

    [Test]
    public void LockedMemory_WithoutPageSize_IsAnError()
    {
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.LockedMemory, "true")), SpecKeys.LockedMemory, "needs hw:mem_page_size");
        SpecAssert.IsClean(SpecAssert.Parse((SpecKeys.LockedMemory, "true"), (SpecKeys.MemPageSize, "large")));
    }
}
