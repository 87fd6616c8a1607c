using System.Globalization;
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
        // The libvirt project's reader validates the document and reads identity, memory and Nova's metadata.
        var state = DomainReader.Read(xml, active: true);
        var root = XElement.Parse(xml);
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
        return new HookDomain(
            state.Uuid,
            state.Name,
            Int(root.Attribute("id")?.Value),
            state.MemoryKb,
            // 0: <hugepages/> without <page>, the host's default huge page size, which the XML does not name.
            state.HugepageSizeKb is > 0 ? state.HugepageSizeKb : null,
            cells,
            numatune?.Element("memory")?.Attribute("nodeset")?.Value,
            state.Nova);
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
