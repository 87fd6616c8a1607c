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
    public static string Domain(string name, string uuid, IReadOnlyDictionary<string, string> extraSpecs) =>
        Domain(new NovaStyleDomain(name, uuid) { DisplayName = $"vm-{name}", ExtraSpecs = extraSpecs });

    /// <summary>A test-driver domain shaped like Nova's: its metadata, vCPUs, memory, one IO thread, one virtio disk, one tap.</summary>
    public static string Domain(NovaStyleDomain d)
    {
        var specs = string.Concat(d.ExtraSpecs.Select(s => $"<nova:extraSpec name=\"{SecurityElement.Escape(s.Key)}\">{SecurityElement.Escape(s.Value)}</nova:extraSpec>"));
        var hash = (d.Uuid.GetHashCode() & 0xffffff).ToString("x6", CultureInfo.InvariantCulture);
        var mac = d.Mac ?? $"fa:16:3e:{hash[..2]}:{hash[2..4]}:{hash[4..]}";
        var tap = d.Tap ?? $"tap{d.Uuid[..Math.Min(8, d.Uuid.Length)]}";
        var disk = d.DiskGb is { } gb ? $"<nova:disk>{gb}</nova:disk>" : "";
        var cputune = d.CpuTune.Length > 0 ? $"<cputune>{d.CpuTune}</cputune>" : "";
        return $"""
            <domain type='test'>
              <name>{d.Name}</name>
              <uuid>{d.Uuid}</uuid>
              <metadata>
                <nova:instance xmlns:nova="{NovaNamespace}">
                  <nova:name>{SecurityElement.Escape(d.DisplayName)}</nova:name>
                  <nova:flavor name="{SecurityElement.Escape(d.FlavorName)}" id="{SecurityElement.Escape(d.FlavorId)}">
                    <nova:memory>{d.MemoryMb}</nova:memory>{disk}<nova:vcpus>{d.Vcpus}</nova:vcpus>
                    <nova:extraSpecs>{specs}</nova:extraSpecs>
                  </nova:flavor>
                </nova:instance>
              </metadata>
              <memory unit='KiB'>{d.MemoryMb * 1024L}</memory>
              <vcpu placement='static'>{d.Vcpus}</vcpu>
              <iothreads>1</iothreads>
              {cputune}
              <os><type>hvm</type></os>
              <devices>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='{d.DiskFormat}'/>
                  <source file='/var/lib/nova/instances/{d.Uuid}/disk'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <interface type='ethernet'>
                  <mac address='{mac}'/>
                  <target dev='{tap}'/>
                  <model type='virtio'/>
                </interface>
              </devices>
            </domain>
            """;
    }
}
