using System.Xml.Linq;
using KvmNovaTuner.Core.State;

namespace KvmNovaTuner.Libvirt.Xml;

/// <summary>
/// Reads Nova's <c>&lt;nova:instance&gt;</c> domain metadata: flavor name, id, vCPUs, memory and (Nova 32+,
/// namespace 1.1) the flavor's extra specs. Older 1.0 metadata gives the flavor without extra specs.
/// </summary>
public static class NovaMetadataReader
{
    /// <summary>The namespace Nova 32+ writes (flavor id and extra specs).</summary>
    public static readonly XNamespace Nova11 = "http://openstack.org/xmlns/libvirt/nova/1.1";
    /// <summary>The namespace older Nova releases write.</summary>
    public static readonly XNamespace Nova10 = "http://openstack.org/xmlns/libvirt/nova/1.0";

    /// <summary>Nova's metadata from a parsed domain, or null when Nova wrote none.</summary>
    public static NovaDomainMetadata? Read(XElement domain)
    {
        var metadata = domain.Element("metadata");
        var instance = metadata?.Element(Nova11 + "instance") ?? metadata?.Element(Nova10 + "instance");
        if (instance is null)
        {
            return null;
        }
        var ns = instance.Name.Namespace;
        var flavor = instance.Element(ns + "flavor");
        var specs = flavor?.Element(ns + "extraSpecs")?.Elements(ns + "extraSpec")
            .Where(e => e.Attribute("name") is not null)
            .GroupBy(e => e.Attribute("name")!.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value.Trim(), StringComparer.Ordinal);
        return new NovaDomainMetadata(
            flavor?.Attribute("name")?.Value,
            flavor?.Attribute("id")?.Value,
            DomainReader.Int(flavor?.Element(ns + "vcpus")?.Value),
            DomainReader.Int(flavor?.Element(ns + "memory")?.Value),
            specs);
    }
}
