using KvmNovaTuner.Libvirt.Xml;

namespace KvmNovaTuner.Core.Tests.Libvirt;

public sealed class DomainReaderTests
{
    [Test]
    public void Read_NovaDedicatedDomain_GivesPinsTunablesAndDisks()
    {
        var state = DomainReader.Read(SampleDomainXml.Dedicated, active: true);

        Assert.That(state.Uuid, Is.EqualTo(SampleDomainXml.Uuid));
        Assert.That(state.Vcpus, Is.EqualTo(4));
        Assert.That(state.MemoryKb, Is.EqualTo(4L * 1024 * 1024));
        Assert.That(state.VcpuPins, Is.EquivalentTo(new Dictionary<int, string> { [0] = "2", [1] = "10" }));
        Assert.That(state.EmulatorPin, Is.EqualTo("0-1"));
        Assert.That(state.IoThreadIds, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(state.IoThreadPins[1], Is.EqualTo("0"));
        Assert.That(state.Scheduler, Is.EquivalentTo(new Dictionary<string, string> { ["cpu_shares"] = "4096", ["vcpu_period"] = "100000" }));
        Assert.That(state.BlkioWeight, Is.EqualTo("500"));
        Assert.That(state.MemoryTune["soft_limit"], Is.EqualTo("2097152"), "MiB converted to KiB");
        Assert.That((state.NumaMode, state.NumaNodeset), Is.EqualTo(("strict", "0")));
        Assert.That(state.HugepageSizeKb, Is.EqualTo(2048));
        var disk = state.Disks.First();
        Assert.That((disk.TargetDev, disk.Cache, disk.Io, disk.IoThread), Is.EqualTo(("vda", "none", "native", 1)));
        Assert.That(disk.IoTune["total_iops_sec"], Is.EqualTo("1000"));
        Assert.That(state.Interfaces.Single().TargetDev, Is.EqualTo("tap1234"));
    }

    [Test]
    public void Read_Nova32Metadata_GivesFlavorAndExtraSpecs()
    {
        var nova = DomainReader.Read(SampleDomainXml.Dedicated, active: true).Nova;

        Assert.That(nova, Is.Not.Null);
        Assert.That((nova!.FlavorName, nova.FlavorId, nova.Vcpus, nova.MemoryMb), Is.EqualTo(("tuned.large", "7", 4, 4096)));
        Assert.That(nova.ExtraSpecs, Is.EquivalentTo(new Dictionary<string, string> { ["hw:cpu_policy"] = "dedicated", ["tuner:iothreads"] = "2" }));
    }

    [Test]
    public void Read_OlderNovaMetadata_GivesFlavorNameWithoutExtraSpecs()
    {
        var xml = SampleDomainXml.Dedicated
            .Replace("nova/1.1", "nova/1.0", StringComparison.Ordinal)
            .Replace(" id=\"7\"", "", StringComparison.Ordinal);
        var start = xml.IndexOf("<nova:extraSpecs>", StringComparison.Ordinal);
        var end = xml.IndexOf("</nova:extraSpecs>", StringComparison.Ordinal) + "</nova:extraSpecs>".Length;
        xml = xml.Remove(start, end - start);

        var nova = DomainReader.Read(xml, active: false).Nova;

        Assert.That(nova!.FlavorName, Is.EqualTo("tuned.large"));
        Assert.That(nova.FlavorId, Is.Null);
        Assert.That(nova.ExtraSpecs, Is.Null);
    }

    [Test]
    public void Read_DomainWithoutNovaMetadata_HasNoNova() =>
        Assert.That(DomainReader.Read("<domain><name>x</name><uuid>u</uuid></domain>", active: false).Nova, Is.Null);

    [TestCase("<domain><name>x</name>")]
    [TestCase("<network><uuid>u</uuid></network>")]
    [TestCase("<domain><name>x</name></domain>")]
    public void Read_NotADomain_ThrowsFormatException(string xml) =>
        Assert.That(() => DomainReader.Read(xml, active: false), Throws.TypeOf<FormatException>());
}
