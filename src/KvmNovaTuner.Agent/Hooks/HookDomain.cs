using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Libvirt.Xml;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// What the hook needs from the domain XML libvirt writes on its stdin: identity, Nova's metadata, and the memory
/// layout (hugepage size, guest NUMA cells and the host nodes <c>&lt;numatune&gt;</c> binds them to) for the
/// <c>tuner:require</c> check. Read without libvirt: a hook must never call back into the daemon.
/// </summary>
public sealed record HookDomain(
    string Uuid,
    string Name,
    int? Id,
    long MemoryKb,
    long? HugepageSizeKb,
    IReadOnlyList<HookGuestCell> Cells,
    string? MemoryNodeset,
    NovaDomainMetadata? Nova)
{
    /// <summary>Parses the XML; throws <see cref="FormatException"/> naming the problem when it is not a domain.</summary>
    public static HookDomain Parse(string xml)
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
        var uuid = root.Element("uuid")?.Value.Trim();
        if (string.IsNullOrEmpty(uuid))
        {
            throw new FormatException("domain XML has no <uuid>");
        }
        var numatune = root.Element("numatune");
        var memnodes = numatune?.Elements("memnode")
            .Select(m => (Cell: Int(m.Attribute("cellid")?.Value), Nodeset: m.Attribute("nodeset")?.Value))
            .Where(m => m.Cell is not null && m.Nodeset is not null)
            .GroupBy(m => m.Cell!.Value)
            .ToDictionary(g => g.Key, g => g.Last().Nodeset!) ?? [];
        var cells = root.Element("cpu")?.Element("numa")?.Elements("cell")
            .Select(c => (Id: Int(c.Attribute("id")?.Value), Kb: Kib(c.Attribute("memory")?.Value, c.Attribute("unit")?.Value)))
            .Where(c => c.Id is not null && c.Kb is not null)
            .Select(c => new HookGuestCell(c.Id!.Value, c.Kb!.Value, memnodes.GetValueOrDefault(c.Id.Value)))
            .ToList() ?? [];
        var memory = root.Element("memory");
        return new HookDomain(
            uuid,
            root.Element("name")?.Value.Trim() ?? "",
            Int(root.Attribute("id")?.Value),
            Kib(memory?.Value, memory?.Attribute("unit")?.Value) ?? 0,
            PageSizeKb(root.Element("memoryBacking")?.Element("hugepages")),
            cells,
            numatune?.Element("memory")?.Attribute("nodeset")?.Value,
            NovaMetadataReader.Read(root));
    }

    private static long? PageSizeKb(XElement? hugepages)
    {
        // <hugepages/> without <page> means the host's default huge page size, which the XML does not name.
        var page = hugepages?.Element("page");
        return page is null ? null : Kib(page.Attribute("size")?.Value, page.Attribute("unit")?.Value);
    }

    private static int? Int(string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>A libvirt scaled integer in KiB (the unit defaults to KiB; decimal units are 1000-based).</summary>
    private static long? Kib(string? text, string? unit)
    {
        if (!decimal.TryParse(text?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }
        var u = (unit ?? "KiB").ToLowerInvariant();
        var power = "bkmgt".IndexOf(u[0], StringComparison.Ordinal);
        if (power < 0)
        {
            return null;
        }
        var decimalUnit = u.Length == 2 && u[1] == 'b' && u[0] != 'b';
        var bytes = value * (decimal)Math.Pow(decimalUnit ? 1000 : 1024, power);
        return (long)(bytes / 1024);
    }
}

/// <summary>One guest NUMA cell: its memory and the host nodeset <c>&lt;numatune&gt;&lt;memnode&gt;</c> binds it to (null when unbound).</summary>
public sealed record HookGuestCell(int Id, long MemoryKb, string? HostNodeset);
