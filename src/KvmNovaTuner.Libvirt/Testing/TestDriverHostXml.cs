using System.Globalization;
using System.Security;
using System.Text;

namespace KvmNovaTuner.Libvirt.Testing;

/// <summary>
/// Builds host descriptions for libvirt's test driver (<c>test:///path/host.xml</c>): two NUMA cells of 2 cores x
/// 2 SMT threads (8 CPUs, as many as the test driver's CPU map has) and running domains shaped like Nova's, with
/// Nova 32+ metadata (flavor name, id, extra specs). Used by tests, benchmarks and demos that need no libvirtd.
/// </summary>
public static class TestDriverHostXml
{
    public const string NovaNamespace = "http://openstack.org/xmlns/libvirt/nova/1.1";

    /// <summary>A host with one domain per uuid, each carrying <paramref name="extraSpecs"/>.</summary>
    public static string Host(IReadOnlyList<string> uuids, IReadOnlyDictionary<string, string> extraSpecs)
    {
        var xml = new StringBuilder();
        xml.Append("<node><cpu><mhz>2400</mhz><model>x86_64</model><active>8</active>")
           .Append("<nodes>2</nodes><sockets>1</sockets><cores>2</cores><threads>2</threads></cpu>")
           .Append("<memory>16777216</memory>");
        for (var i = 0; i < uuids.Count; i++)
        {
            xml.Append(Domain($"instance-{i + 1:x8}", uuids[i], extraSpecs));
        }
        return xml.Append("</node>").ToString();
    }

    /// <summary>A test-driver domain as Nova would define it: 2 vCPUs, 1 IO thread, one virtio disk, one tap.</summary>
    public static string Domain(string name, string uuid, IReadOnlyDictionary<string, string> extraSpecs)
    {
        var specs = string.Concat(extraSpecs.Select(s => $"<nova:extraSpec name=\"{SecurityElement.Escape(s.Key)}\">{SecurityElement.Escape(s.Value)}</nova:extraSpec>"));
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
}
