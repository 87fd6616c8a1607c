using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Reconciliation;

namespace KvmNovaTuner.Core.Tests.Libvirt;

public sealed class LibvirtTopologyReaderTests
{
    private const string Capabilities = """
        <capabilities><host><topology><cells num='2'>
          <cell id='0'><memory unit='KiB'>8000000</memory><cpus num='4'>
            <cpu id='0' socket_id='0' core_id='0' siblings='0,2'/><cpu id='1' socket_id='0' core_id='1' siblings='1,3'/>
            <cpu id='2' socket_id='0' core_id='0' siblings='0,2'/><cpu id='3' socket_id='0' core_id='1' siblings='1,3'/>
          </cpus></cell>
          <cell id='1'><memory unit='GiB'>8</memory><cpus num='2'>
            <cpu id='4' siblings='4-5'/><cpu id='5' siblings='4-5'/>
          </cpus></cell>
        </cells></topology></host></capabilities>
        """;

    [Test]
    public void FromCapabilities_ReadsCellsCpusSiblingsAndMemory()
    {
        var cells = LibvirtTopologyReader.FromCapabilities(Capabilities);

        Assert.That(cells.Select(c => c.Id), Is.EqualTo(new[] { 0, 1 }));
        Assert.That(cells[0].Cpus, Is.EqualTo(new[] { 0, 1, 2, 3 }));
        Assert.That(cells[0].SiblingsByCpu[2], Is.EqualTo(new[] { 0, 2 }));
        Assert.That(cells[1].SiblingsByCpu[4], Is.EqualTo(new[] { 4, 5 }));
        Assert.That(cells[1].MemoryKb, Is.EqualTo(8L * 1024 * 1024));
    }

    [Test]
    public void FromCapabilities_NoCells_IsEmpty() =>
        Assert.That(LibvirtTopologyReader.FromCapabilities("<capabilities><host><topology><cells num='0'/></topology></host></capabilities>"), Is.Empty);

    [Test]
    public void FromNodeInfo_LaysOutCellsWithSmtSiblings()
    {
        var cells = LibvirtTopologyReader.FromNodeInfo(new HostNodeInfo("x86_64", 16_000_000, 8, Nodes: 2, Sockets: 1, Cores: 2, Threads: 2));

        Assert.That(cells.Select(c => c.Cpus), Is.EqualTo(new[] { new[] { 0, 1, 2, 3 }, new[] { 4, 5, 6, 7 } }));
        Assert.That(cells[1].SiblingsByCpu[7], Is.EqualTo(new[] { 6, 7 }));
        Assert.That(cells[0].MemoryKb, Is.EqualTo(8_000_000));
    }
}
