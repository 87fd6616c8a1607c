using System.Globalization;
using System.Security;
using System.Text;

namespace KvmNovaTuner.Core.Tests.Hooks;

/// <summary>Domain XML as libvirt hands it to a qemu hook for a Nova instance, with the parts a test varies.</summary>
internal static class HookXml
{
    public const string Uuid = "3f0c1a2b-4d5e-4f60-8a7b-9c0d1e2f3a4b";

    public static string Domain(
        IReadOnlyDictionary<string, string>? specs = null,
        int memoryMb = 1024,
        long? pageSizeKb = null,
        IReadOnlyList<(int Cell, long MemoryMb, string? HostNodes)>? cells = null,
        int? id = 7,
        bool nova = true,
        string uuid = Uuid)
    {
        var x = new StringBuilder();
        x.Append(CultureInfo.InvariantCulture, $"<domain type='kvm'{(id is { } i ? $" id='{i}'" : "")}>");
        x.Append(CultureInfo.InvariantCulture, $"<name>instance-00000007</name><uuid>{uuid}</uuid>");
        if (nova)
        {
            x.Append("<metadata><nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'>");
            x.Append(CultureInfo.InvariantCulture, $"<nova:flavor name='tuned.small' id='42'><nova:memory>{memoryMb}</nova:memory><nova:vcpus>2</nova:vcpus><nova:extraSpecs>");
            foreach (var (k, v) in specs ?? new Dictionary<string, string>())
            {
                x.Append(CultureInfo.InvariantCulture, $"<nova:extraSpec name='{SecurityElement.Escape(k)}'>{SecurityElement.Escape(v)}</nova:extraSpec>");
            }
            x.Append("</nova:extraSpecs></nova:flavor></nova:instance></metadata>");
        }
        x.Append(CultureInfo.InvariantCulture, $"<memory unit='KiB'>{memoryMb * 1024L}</memory>");
        if (pageSizeKb is { } size)
        {
            x.Append(CultureInfo.InvariantCulture, $"<memoryBacking><hugepages><page size='{size}' unit='KiB'/></hugepages></memoryBacking>");
        }
        x.Append("<vcpu placement='static'>2</vcpu>");
        if (cells is { Count: > 0 })
        {
            x.Append("<cpu><numa>");
            foreach (var c in cells)
            {
                x.Append(CultureInfo.InvariantCulture, $"<cell id='{c.Cell}' cpus='{c.Cell}' memory='{c.MemoryMb}' unit='MiB'/>");
            }
            x.Append("</numa></cpu><numatune>");
            foreach (var c in cells.Where(c => c.HostNodes is not null))
            {
                x.Append(CultureInfo.InvariantCulture, $"<memnode cellid='{c.Cell}' mode='strict' nodeset='{c.HostNodes}'/>");
            }
            x.Append("</numatune>");
        }
        x.Append("<devices/></domain>");
        return x.ToString();
    }

    public static Dictionary<string, string> Specs(params string[] pairs) =>
        pairs.Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
}
