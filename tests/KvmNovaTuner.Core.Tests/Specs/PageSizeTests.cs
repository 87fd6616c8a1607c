using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;

namespace KvmNovaTuner.Core.Tests.Specs;

public sealed class PageSizeTests
{
    [TestCase("2048", 2048)]
    [TestCase("1048576", 1048576)]
    [TestCase("2MB", 2048)]
    [TestCase("2MiB", 2048)]
    [TestCase("1GB", 1048576)]
    [TestCase("1GiB", 1048576)]
    [TestCase("2048KB", 2048)]
    [TestCase("2Mb", 256)]
    [TestCase("16Mbit", 2048)]
    [TestCase("4", 4)]
    public void Parse_SizeInNovaUnits_GivesKiB(string text, long kib)
    {
        var size = PageSizeParser.Parse(text, out var problem, out _);
        Assert.That(problem, Is.Null);
        Assert.That(size, Is.EqualTo(PageSize.OfKb(kib)));
    }

    [TestCase("small", PageSizeKind.Small)]
    [TestCase("large", PageSizeKind.Large)]
    [TestCase("any", PageSizeKind.Any)]
    public void Parse_Alias_GivesItsKind(string text, PageSizeKind kind) =>
        Assert.That(PageSizeParser.Parse(text, out _, out _)!.Kind, Is.EqualTo(kind));

    [TestCase("2M")]
    [TestCase("2Mi")]
    [TestCase("2k")]
    public void Spec_SizeTheApiAcceptsButBootRejects_IsAWarning(string text)
    {
        var result = SpecAssert.Parse((SpecKeys.MemPageSize, text));
        Assert.That(result.About(SpecKeys.MemPageSize, DiagnosticSeverity.Warning).Single().Message, Does.Contain("fails its size parser at boot").And.Contain(text));
        Assert.That(result.Spec.MemPageSize, Is.Null);
        Assert.That(result.IsValid, Is.True);
    }

    [TestCase("2mb")]
    [TestCase("huge")]
    [TestCase("2 MB")]
    [TestCase("-2048")]
    public void Spec_SizeTheApiRejects_IsAnError(string text) =>
        SpecAssert.HasError(SpecAssert.Parse((SpecKeys.MemPageSize, text)), SpecKeys.MemPageSize, "Nova's API rejects it");

    [Test]
    public void Spec_2Mb_IsBitsAndWarnsItIsNoX86PageSize()
    {
        var result = SpecAssert.Parse((SpecKeys.MemPageSize, "2Mb"));
        Assert.That(result.Spec.MemPageSize, Is.EqualTo(PageSize.OfKb(256)));
        Assert.That(result.About(SpecKeys.MemPageSize, DiagnosticSeverity.Warning).Single().Message, Does.Contain("256 KiB"));
    }

    [Test]
    public void Spec_1GiB_IsCleanAndAHugepage()
    {
        var result = SpecAssert.Parse((SpecKeys.MemPageSize, "1GiB"));
        SpecAssert.IsClean(result);
        Assert.That(result.Spec.MemPageSize!.IsHugepage, Is.True);
        Assert.That(result.Spec.HasNumaTopology, Is.True);
    }
}
