using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Tests.Specs;

public sealed class CpuListTests
{
    [TestCase("0-3", new[] { 0, 1, 2, 3 })]
    [TestCase("0,2,4-5", new[] { 0, 2, 4, 5 })]
    [TestCase(" 7 , 1-2 ", new[] { 1, 2, 7 })]
    public void Parse_ValidList_GivesTheCpus(string text, int[] cpus) =>
        Assert.That(CpuList.Parse(text), Is.EquivalentTo(cpus));

    [TestCase("")]
    [TestCase("a")]
    [TestCase("3-1")]
    [TestCase("1,,2")]
    [TestCase("^1")]
    [TestCase("-1")]
    public void Parse_MalformedOrExclusion_IsNull(string text) => Assert.That(CpuList.Parse(text), Is.Null);

    [TestCase("^0", 4, new[] { 1, 2, 3 })]
    [TestCase("^0-1", 4, new[] { 2, 3 })]
    [TestCase("2-3", 4, new[] { 2, 3 })]
    [TestCase("0-3,^1", 4, new[] { 0, 2, 3 })]
    public void ParseMask_ExclusionsOnly_StartFromTheUniverse(string text, int count, int[] expected) =>
        Assert.That(CpuList.ParseMask(text, Enumerable.Range(0, count)), Is.EquivalentTo(expected));

    [TestCase(new[] { 3, 0, 1, 2, 8, 10, 11 }, "0-3,8,10-11")]
    [TestCase(new[] { 5 }, "5")]
    [TestCase(new int[0], "")]
    public void Format_IsSortedAndCompact(int[] cpus, string expected) => Assert.That(CpuList.Format(cpus), Is.EqualTo(expected));

    [Test]
    public void SameSet_ComparesCpusNotText()
    {
        Assert.That(CpuList.SameSet("0,1,2", "0-2"), Is.True);
        Assert.That(CpuList.SameSet("0-2", "0-3"), Is.False);
        Assert.That(CpuList.SameSet(null, "0"), Is.False);
    }
}
