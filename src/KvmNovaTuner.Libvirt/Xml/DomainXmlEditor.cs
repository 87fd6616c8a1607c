using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Libvirt.Xml;

/// <summary>
/// Applies next-boot actions (<see cref="ActionKinds.DiskDriver"/>, <see cref="ActionKinds.MemoryBacking"/>) to a
/// persistent domain definition. Pure: XML text in, XML text plus the replaced and new values out. An empty
/// setting value removes the attribute (that is how a recorded "absent" before value is rolled back).
/// </summary>
public static class DomainXmlEditor
{
    private static readonly string[] DiskDriverAttributes = ["cache", "io", "iothread"];

    /// <summary>Applies <paramref name="kind"/> with <paramref name="settings"/> to <paramref name="target"/>'s part of the XML.</summary>
    public static XmlEdit Apply(string xml, string kind, ActionTarget target, IReadOnlyDictionary<string, string> settings)
    {
        var root = Parse(xml);
        return kind switch
        {
            ActionKinds.DiskDriver => EditDiskDriver(root, target.Part == "disk" ? target.Id! : throw new FormatException($"target '{target}' names no disk"), settings),
            ActionKinds.MemoryBacking => EditMemoryBacking(root, settings),
            _ => throw new ArgumentException($"'{kind}' is not a next-boot action kind"),
        };
    }

    private static XmlEdit EditDiskDriver(XElement root, string dev, IReadOnlyDictionary<string, string> settings)
    {
        var unknown = settings.Keys.Except(DiskDriverAttributes).ToList();
        if (unknown.Count > 0)
        {
            throw new FormatException($"disk_driver does not know setting(s) {string.Join(", ", unknown)}");
        }
        var disk = root.Element("devices")?.Elements("disk").FirstOrDefault(d => d.Element("target")?.Attribute("dev")?.Value == dev)
            ?? throw new FormatException($"the domain has no disk with target dev '{dev}'");
        var driver = disk.Element("driver");
        if (driver is null)
        {
            driver = new XElement("driver", new XAttribute("name", "qemu"));
            disk.AddFirst(driver);
        }
        var before = settings.Keys.ToDictionary(k => k, k => driver.Attribute(k)?.Value ?? "");
        foreach (var (name, value) in settings)
        {
            driver.SetAttributeValue(name, value.Length == 0 ? null : value);
        }
        if (settings.TryGetValue("iothread", out var id) && id.Length > 0)
        {
            EnsureIoThread(root, int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new FormatException($"iothread '{id}' is not a positive IO thread id"));
        }
        var after = settings.Keys.ToDictionary(k => k, k => driver.Attribute(k)?.Value ?? "");
        return new XmlEdit(root.ToString(SaveOptions.DisableFormatting), before, after);
    }

    /// <summary>A disk can only name an IO thread the domain defines: raise the count (and the id list) to cover it.</summary>
    private static void EnsureIoThread(XElement root, int id)
    {
        var ids = root.Element("iothreadids");
        if (ids is not null && ids.Elements("iothread").All(e => e.Attribute("id")?.Value != id.ToString(CultureInfo.InvariantCulture)))
        {
            ids.Add(new XElement("iothread", new XAttribute("id", id)));
        }
        var count = root.Element("iothreads");
        var needed = ids?.Elements("iothread").Count() ?? id;
        if (count is null)
        {
            var anchor = root.Element("vcpu") ?? root.Element("memory");
            count = new XElement("iothreads", needed);
            if (anchor is null)
            {
                root.Add(count);
            }
            else
            {
                anchor.AddAfterSelf(count);
            }
        }
        else if ((DomainReader.Int(count.Value) ?? 0) < needed)
        {
            count.Value = needed.ToString(CultureInfo.InvariantCulture);
        }
    }

    private static XmlEdit EditMemoryBacking(XElement root, IReadOnlyDictionary<string, string> settings)
    {
        if (!settings.TryGetValue("nosharepages", out var text) || settings.Count != 1)
        {
            throw new FormatException("memory_backing takes exactly one setting, nosharepages");
        }
        var wanted = text.Length != 0 && (bool.TryParse(text, out var b) ? b : throw new FormatException($"nosharepages '{text}' is not true or false"));
        var backing = root.Element("memoryBacking");
        var present = backing?.Element("nosharepages") is not null;
        if (wanted && !present)
        {
            if (backing is null)
            {
                backing = new XElement("memoryBacking");
                (root.Element("currentMemory") ?? root.Element("memory"))?.AddAfterSelf(backing);
                if (backing.Parent is null)
                {
                    root.Add(backing);
                }
            }
            var nosharepages = new XElement("nosharepages");
            if (backing.Element("hugepages") is { } hugepages)
            {
                hugepages.AddAfterSelf(nosharepages);
            }
            else
            {
                backing.AddFirst(nosharepages);
            }
        }
        else if (!wanted && present)
        {
            backing!.Element("nosharepages")!.Remove();
            if (!backing.HasElements && !backing.HasAttributes)
            {
                backing.Remove();
            }
        }
        return new XmlEdit(
            root.ToString(SaveOptions.DisableFormatting),
            new Dictionary<string, string> { ["nosharepages"] = present ? "true" : "false" },
            new Dictionary<string, string> { ["nosharepages"] = wanted ? "true" : "false" });
    }

    private static XElement Parse(string xml)
    {
        try
        {
            return XElement.Parse(xml);
        }
        catch (XmlException e)
        {
            throw new FormatException($"domain XML does not parse: {e.Message}", e);
        }
    }
}

/// <summary>The edited XML and the values the edit replaced and wrote (empty text = attribute absent).</summary>
public sealed record XmlEdit(string Xml, IReadOnlyDictionary<string, string> Before, IReadOnlyDictionary<string, string> After)
{
    public bool Changed => Before.Count != After.Count || Before.Any(b => !After.TryGetValue(b.Key, out var a) || a != b.Value);
}
