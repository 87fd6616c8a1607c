using KvmNovaTuner.Agent.Hooks;

namespace KvmNovaTuner.Core.Tests.Hooks;

public sealed class HookDomainTests
{
    [Test]
    public void Parse_NovaDomain_ReadsIdentityFlavorAndMemoryLayout()
    {
        var xml = HookXml.Domain(HookXml.Specs("hw:mem_page_size=2MB", "tuner:require=true"), memoryMb: 2048, pageSizeKb: 2048,
            cells: [(0, 1024, "1"), (1, 1024, null)], id: 12);

        var d = HookDomain.Parse(xml);

        Assert.Multiple(() =>
        {
            Assert.That(d.Uuid, Is.EqualTo(HookXml.Uuid));
            Assert.That(d.Name, Is.EqualTo("instance-00000007"));
            Assert.That(d.Id, Is.EqualTo(12));
            Assert.That(d.MemoryKb, Is.EqualTo(2048 * 1024));
            Assert.That(d.HugepageSizeKb, Is.EqualTo(2048));
            Assert.That(d.Cells, Is.EqualTo(new[] { new HookGuestCell(0, 1024 * 1024, "1"), new HookGuestCell(1, 1024 * 1024, null) }));
            Assert.That(d.Nova!.ExtraSpecs!["tuner:require"], Is.EqualTo("true"));
            Assert.That(d.Nova.MemoryMb, Is.EqualTo(2048));
        });
    }

    [Test]
    public void Parse_DomainWithoutNovaMetadataOrId_HasNeither()
    {
        var d = HookDomain.Parse(HookXml.Domain(nova: false, id: null));

        Assert.Multiple(() =>
        {
            Assert.That(d.Nova, Is.Null);
            Assert.That(d.Id, Is.Null);
            Assert.That(d.Cells, Is.Empty);
        });
    }

    [TestCase("<domain><name>x</name></domain>", "uuid")]
    [TestCase("<network/>", "expected <domain>")]
    [TestCase("not xml", "does not parse")]
    public void Parse_NotADomain_ThrowsFormatExceptionNamingTheProblem(string xml, string problem)
    {
        var e = Assert.Throws<FormatException>(() => HookDomain.Parse(xml));
        Assert.That(e!.Message, Does.Contain(problem));
    }
}
