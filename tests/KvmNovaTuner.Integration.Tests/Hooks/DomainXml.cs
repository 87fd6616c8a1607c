using System.Security;

namespace KvmNovaTuner.Integration.Tests.Hooks;

/// <summary>The domain XML libvirt pipes into a qemu hook for a Nova 32 instance (1 GiB, one guest NUMA cell, 2 MiB pages when asked).</summary>
internal static class DomainXml
{
    public const string Uuid = "5b9d2c4e-6f70-4a81-9b2c-3d4e5f607182";

    public static string Nova(params string[] extraSpecs)
    {
        var specs = string.Concat(extraSpecs.Select(s => s.Split('=', 2)).Select(kv =>
            $"<nova:extraSpec name=\"{SecurityElement.Escape(kv[0])}\">{SecurityElement.Escape(kv[1])}</nova:extraSpec>"));
        var hugepages = extraSpecs.Any(s => s.StartsWith("hw:mem_page_size=2", StringComparison.Ordinal))
            ? "<memoryBacking><hugepages><page size=\"2048\" unit=\"KiB\" nodeset=\"0\"/></hugepages></memoryBacking>"
            : "";
        return $"""
            <domain type="kvm" id="4">
              <name>instance-00000009</name>
              <uuid>{Uuid}</uuid>
              <metadata>
                <nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
                  <nova:name>bench-1</nova:name>
                  <nova:flavor name="tuned.bench" id="9">
                    <nova:memory>1024</nova:memory>
                    <nova:vcpus>2</nova:vcpus>
                    <nova:extraSpecs>{specs}</nova:extraSpecs>
                  </nova:flavor>
                </nova:instance>
              </metadata>
              <memory unit="KiB">1048576</memory>
              {hugepages}
              <vcpu placement="static">2</vcpu>
              <cpu><numa><cell id="0" cpus="0-1" memory="1048576" unit="KiB"/></numa></cpu>
              <devices/>
            </domain>
            """;
    }
}
