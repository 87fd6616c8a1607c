using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Xml;

namespace KvmNovaTuner.Core.Tests.Libvirt;

public sealed class DomainXmlEditorTests
{
    private static readonly ActionTarget Vda = ActionTarget.Parse($"domain/{SampleDomainXml.Uuid}/disk/vda");
    private static readonly ActionTarget Domain = ActionTarget.Parse($"domain/{SampleDomainXml.Uuid}");

    private static Dictionary<string, string> S(params (string K, string V)[] s) => s.ToDictionary(x => x.K, x => x.V);

    [Test]
    public void DiskDriver_SetsAttributesAndRecordsTheReplacedOnes()
    {
        var edit = DomainXmlEditor.Apply(SampleDomainXml.Dedicated, ActionKinds.DiskDriver, Vda, S(("cache", "directsync"), ("io", "native")));

        Assert.That(edit.Changed, Is.True);
        Assert.That(edit.Before, Is.EquivalentTo(S(("cache", "none"), ("io", "native"))));
        var disk = DomainReader.Read(edit.Xml, active: false).Disks.First();
        Assert.That((disk.Cache, disk.Io), Is.EqualTo(("directsync", "native")));
    }

    [Test]
    public void DiskDriver_SameValues_IsNotAChange() =>
        Assert.That(DomainXmlEditor.Apply(SampleDomainXml.Dedicated, ActionKinds.DiskDriver, Vda, S(("cache", "none"))).Changed, Is.False);

    [Test]
    public void DiskDriver_EmptyValue_RemovesTheAttribute()
    {
        var edit = DomainXmlEditor.Apply(SampleDomainXml.Dedicated, ActionKinds.DiskDriver, Vda, S(("io", "")));

        Assert.That(DomainReader.Read(edit.Xml, active: false).Disks.First().Io, Is.Null);
    }

    [Test]
    public void DiskDriver_IoThreadBeyondTheCount_RaisesTheIoThreadCount()
    {
        var edit = DomainXmlEditor.Apply(SampleDomainXml.Dedicated, ActionKinds.DiskDriver, Vda, S(("iothread", "4")));

        var state = DomainReader.Read(edit.Xml, active: false);
        Assert.That(state.IoThreadIds, Does.Contain(4));
        Assert.That(state.Disks.First().IoThread, Is.EqualTo(4));
    }

    [Test]
    public void DiskDriver_UnknownDisk_NamesIt() =>
        Assert.That(() => DomainXmlEditor.Apply(SampleDomainXml.Dedicated, ActionKinds.DiskDriver, ActionTarget.Parse("domain/u/disk/vdq"), S(("cache", "none"))),
            Throws.TypeOf<FormatException>().With.Message.Contains("vdq"));

    [Test]
    public void DiskDriver_UnknownSetting_IsRefused() =>
        Assert.That(() => DomainXmlEditor.Apply(SampleDomainXml.Dedicated, ActionKinds.DiskDriver, Vda, S(("queues", "4"))),
            Throws.TypeOf<FormatException>().With.Message.Contains("queues"));

    [Test]
    public void MemoryBacking_NoSharePages_IsAddedNextToHugepagesAndRemovedAgain()
    {
        var on = DomainXmlEditor.Apply(SampleDomainXml.Dedicated, ActionKinds.MemoryBacking, Domain, S(("nosharepages", "true")));
        var off = DomainXmlEditor.Apply(on.Xml, ActionKinds.MemoryBacking, Domain, S(("nosharepages", "false")));

        Assert.That(on.Before["nosharepages"], Is.EqualTo("false"));
        var withKsmOff = DomainReader.Read(on.Xml, active: false);
        Assert.That((withKsmOff.NoSharePages, withKsmOff.HugepageSizeKb), Is.EqualTo((true, 2048L)));
        Assert.That(DomainReader.Read(off.Xml, active: false).NoSharePages, Is.False);
        Assert.That(DomainReader.Read(off.Xml, active: false).HugepageSizeKb, Is.EqualTo(2048), "hugepages stay");
    }

    [Test]
    public void MemoryBacking_DomainWithoutBacking_GetsOne()
    {
        const string xml = "<domain><name>x</name><uuid>u</uuid><memory>1024</memory></domain>";

        var edit = DomainXmlEditor.Apply(xml, ActionKinds.MemoryBacking, Domain, S(("nosharepages", "true")));

        Assert.That(edit.Xml, Does.Contain("<memoryBacking><nosharepages /></memoryBacking>"));
    }

    [TestCase("domain")]
    [TestCase("domain/")]
    [TestCase("port/tap1")]
    [TestCase("domain/u/disk")]
    public void ActionTarget_Malformed_IsRefused(string target) =>
        Assert.That(() => ActionTarget.Parse(target), Throws.TypeOf<FormatException>());

    [Test]
    public void ActionTarget_WithPart_RoundTrips() =>
        Assert.That(ActionTarget.Parse("domain/u/iothread/2").ToString(), Is.EqualTo("domain/u/iothread/2"));
}
