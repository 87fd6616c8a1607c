using System.Globalization;
using System.Text;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Native;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>
/// A libvirt test-driver host written to a temp file: two NUMA cells of 2 cores x 2 SMT threads (8 CPUs, as many as the test driver's CPU map has) and
/// predefined domains carrying Nova 32+ metadata (flavor name, id and extra specs). Each instance is its own
/// file, so connections of different tests never share state (unlike test:///default).
/// </summary>
public sealed class TestDriverHost : IDisposable
{
    public const string NovaNamespace = "http://openstack.org/xmlns/libvirt/nova/1.1";

    private readonly string directory;

    private TestDriverHost(string directory, string path, IReadOnlyList<string> uuids)
    {
        this.directory = directory;
        Path = path;
        Uuids = uuids;
    }

    public string Path { get; }
    public string Uri => $"test://{Path}";
    public IReadOnlyList<string> Uuids { get; }

    /// <summary>Ignores the calling test, with the reason printed, when libvirt.so.0 is not installed.</summary>
    public static void RequireLibvirt()
    {
        if (!LibvirtRuntime.IsAvailable(out var reason))
        {
            TestContext.Progress.WriteLine($"SKIPPED: {reason}");
            Assert.Ignore(reason);
        }
    }

    /// <summary>Writes a host with <paramref name="domains"/> running domains, each with the given extra specs.</summary>
    public static TestDriverHost Create(int domains = 2, IReadOnlyDictionary<string, string>? extraSpecs = null)
    {
        RequireLibvirt();
        var directory = Directory.CreateTempSubdirectory("knt-libvirt-").FullName;
        var uuids = Enumerable.Range(1, domains).Select(i => Guid.NewGuid().ToString()).ToList();
        var xml = new StringBuilder();
        xml.Append("<node><cpu><mhz>2400</mhz><model>x86_64</model><active>8</active>")
           .Append("<nodes>2</nodes><sockets>1</sockets><cores>2</cores><threads>2</threads></cpu>")
           .Append("<memory>16777216</memory>");
        for (var i = 0; i < domains; i++)
        {
            xml.Append(DomainXml($"instance-{i + 1:x8}", uuids[i], extraSpecs ?? new Dictionary<string, string>()));
        }
        xml.Append("</node>");
        var path = System.IO.Path.Combine(directory, "host.xml");
        File.WriteAllText(path, xml.ToString());
        return new TestDriverHost(directory, path, uuids);
    }

    /// <summary>A test-driver domain as Nova would define it: 2 vCPUs, 1 IO thread, one virtio disk, one tap.</summary>
    public static string DomainXml(string name, string uuid, IReadOnlyDictionary<string, string> extraSpecs)
    {
        var specs = string.Concat(extraSpecs.Select(s => $"<nova:extraSpec name=\"{s.Key}\">{s.Value}</nova:extraSpec>"));
        var mac = (uuid.GetHashCode() & 0xffffff).ToString("x6", CultureInfo.InvariantCulture);
        return $"""
            <domain type='test'>
              <name>{name}</name>
              <uuid>{uuid}</uuid>
              <metadata>
                <nova:instance xmlns:nova="{NovaNamespace}">
                  <nova:name>vm-{name}</nova:name>
                  <nova:flavor name="tuned.medium" id="f-tuned-medium">
                    <nova:memory>1024</nova:memory><nova:disk>1</nova:disk><nova:vcpus>2</nova:vcpus>
                    <nova:extraSpecs>{specs}</nova:extraSpecs>
                  </nova:flavor>
                </nova:instance>
              </metadata>
              <memory unit='KiB'>1048576</memory>
              <vcpu placement='static'>2</vcpu>
              <iothreads>1</iothreads>
              <os><type>hvm</type></os>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw'/>
                  <source file='/var/lib/nova/instances/{uuid}/disk'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <interface type='ethernet'>
                  <mac address='fa:16:3e:{mac[..2]}:{mac[2..4]}:{mac[4..]}'/>
                  <target dev='tap{uuid[..8]}'/>
                  <model type='virtio'/>
                </interface>
              </devices>
            </domain>
            """;
    }

    public LibvirtConnection Connect() => LibvirtConnection.Open(Uri);

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
