using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using KvmNovaTuner.Core.State;

namespace KvmNovaTuner.Libvirt.Xml;

/// <summary>Turns libvirt domain XML into the planner's <see cref="DomainState"/> (pure: text in, record out).</summary>
public static class DomainReader
{
    /// <summary>cputune element → libvirt scheduler typed-parameter name.</summary>
    private static readonly (string Element, string Parameter)[] SchedulerElements =
    [
        ("shares", "cpu_shares"), ("period", "vcpu_period"), ("quota", "vcpu_quota"),
        ("emulator_period", "emulator_period"), ("emulator_quota", "emulator_quota"),
        ("iothread_period", "iothread_period"), ("iothread_quota", "iothread_quota"),
        ("global_period", "global_period"), ("global_quota", "global_quota"),
    ];

    private static readonly string[] MemtuneElements = ["hard_limit", "soft_limit", "swap_hard_limit"];

    /// <summary>
    /// Reads a domain through libvirt: its live XML and, while it runs, the vCPU pins of its persistent definition
    /// (what Nova configured), so the planner can verify the live pins against them.
    /// </summary>
    public static DomainState Read(LibvirtDomain domain)
    {
        var active = domain.IsActive;
        var state = Read(domain.GetXml(), active);
        var configured = active ? Read(domain.GetXml(inactive: true), active: false) : state;
        return state with { ConfiguredVcpuPins = configured.VcpuPins, ConfiguredNumaNodeset = configured.NumaNodeset };
    }

    /// <summary>Reads <paramref name="xml"/>; throws <see cref="FormatException"/> when it is not a domain.</summary>
    public static DomainState Read(string xml, bool active)
    {
        XElement root;
        try
        {
            root = XElement.Parse(xml);
        }
        catch (XmlException e)
        {
            throw new FormatException($"domain XML does not parse: {e.Message}", e);
        }
        if (root.Name.LocalName != "domain")
        {
            throw new FormatException($"expected <domain>, found <{root.Name.LocalName}>");
        }
        var cputune = root.Element("cputune");
        var devices = root.Element("devices");
        var backing = root.Element("memoryBacking");
        return new DomainState
        {
            Uuid = root.Element("uuid")?.Value.Trim() ?? throw new FormatException("domain XML has no <uuid>"),
            Name = root.Element("name")?.Value.Trim() ?? "",
            Active = active,
            Vcpus = Int(root.Element("vcpu")?.Attribute("current")?.Value ?? root.Element("vcpu")?.Value) ?? 0,
            MemoryKb = ToKib(root.Element("memory")) ?? 0,
            VcpuPins = Pins(cputune, "vcpupin", "vcpu"),
            EmulatorPin = cputune?.Element("emulatorpin")?.Attribute("cpuset")?.Value,
            IoThreadIds = IoThreadIds(root),
            IoThreadPins = Pins(cputune, "iothreadpin", "iothread"),
            Scheduler = SchedulerElements
                .Where(s => cputune?.Element(s.Element) is not null)
                .ToDictionary(s => s.Parameter, s => cputune!.Element(s.Element)!.Value.Trim()),
            BlkioWeight = root.Element("blkiotune")?.Element("weight")?.Value.Trim(),
            MemoryTune = MemtuneElements
                .Where(m => root.Element("memtune")?.Element(m) is not null)
                .ToDictionary(m => m, m => ToKib(root.Element("memtune")!.Element(m))!.Value.ToString(CultureInfo.InvariantCulture)),
            NumaMode = root.Element("numatune")?.Element("memory")?.Attribute("mode")?.Value,
            NumaNodeset = root.Element("numatune")?.Element("memory")?.Attribute("nodeset")?.Value,
            Disks = devices?.Elements("disk").Where(d => d.Element("target") is not null).Select(Disk).ToList() ?? [],
            Interfaces = devices?.Elements("interface").Select(Interface).ToList() ?? [],
            NoSharePages = backing?.Element("nosharepages") is not null,
            HugepageSizeKb = HugepageSize(backing),
            Nova = NovaMetadataReader.Read(root),
        };
    }

    private static Dictionary<int, string> Pins(XElement? cputune, string element, string idAttribute) =>
        cputune?.Elements(element)
            .Select(e => (Id: Int(e.Attribute(idAttribute)?.Value), Cpuset: e.Attribute("cpuset")?.Value))
            .Where(p => p.Id is not null && p.Cpuset is not null)
            .ToDictionary(p => p.Id!.Value, p => p.Cpuset!) ?? [];

    private static List<int> IoThreadIds(XElement root)
    {
        var ids = root.Element("iothreadids")?.Elements("iothread").Select(e => Int(e.Attribute("id")?.Value)).OfType<int>().ToList();
        if (ids is { Count: > 0 })
        {
            return ids;
        }
        var count = Int(root.Element("iothreads")?.Value) ?? 0;
        return Enumerable.Range(1, count).ToList();
    }

    private static DiskState Disk(XElement disk)
    {
        var driver = disk.Element("driver");
        var iotune = disk.Element("iotune")?.Elements().ToDictionary(e => e.Name.LocalName, e => e.Value.Trim()) ?? [];
        return new DiskState(
            disk.Element("target")!.Attribute("dev")?.Value ?? "",
            driver?.Attribute("cache")?.Value,
            driver?.Attribute("io")?.Value,
            Int(driver?.Attribute("iothread")?.Value),
            iotune)
        {
            Device = disk.Attribute("device")?.Value,
            Serial = disk.Element("serial")?.Value.Trim(),
        };
    }

    private static InterfaceState Interface(XElement nic) => new(
        nic.Element("target")?.Attribute("dev")?.Value,
        nic.Attribute("type")?.Value,
        nic.Element("mac")?.Attribute("address")?.Value);

    private static long? HugepageSize(XElement? backing)
    {
        var hugepages = backing?.Element("hugepages");
        if (hugepages is null)
        {
            return null;
        }
        var page = hugepages.Element("page");
        // <hugepages/> without a <page> means the host's default huge page size, which the XML does not name.
        return page is null ? 0 : ToKib(Long(page.Attribute("size")?.Value), page.Attribute("unit")?.Value);
    }

    internal static int? Int(string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static long? Long(string? text) =>
        long.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static long? ToKib(XElement? element) => element is null ? null : ToKib(Long(element.Value), element.Attribute("unit")?.Value);

    /// <summary>libvirt's scaled integers: the unit defaults to KiB in these elements.</summary>
    internal static long? ToKib(long? value, string? unit) => value is null ? null : (unit ?? "KiB").ToLowerInvariant() switch
    {
        "b" or "bytes" => value / 1024,
        "k" or "kib" => value,
        "kb" => value * 1000 / 1024,
        "m" or "mib" => value * 1024,
        "mb" => value * 1000 * 1000 / 1024,
        "g" or "gib" => value * 1024 * 1024,
        "gb" => value * 1000 * 1000 * 1000 / 1024,
        "t" or "tib" => value * 1024 * 1024 * 1024,
        _ => value,
    };
}
