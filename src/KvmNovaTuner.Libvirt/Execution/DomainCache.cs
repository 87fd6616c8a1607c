namespace KvmNovaTuner.Libvirt.Execution;

/// <summary>Domains looked up once per plan (or reconcile pass) and released together.</summary>
internal sealed class DomainCache(LibvirtConnection connection) : IDisposable
{
    private readonly Dictionary<string, LibvirtDomain?> domains = new(StringComparer.OrdinalIgnoreCase);

    public LibvirtDomain? Get(string uuid)
    {
        if (!domains.TryGetValue(uuid, out var domain))
        {
            domain = connection.LookupByUuid(uuid);
            domains[uuid] = domain;
        }
        return domain;
    }

    public void Dispose()
    {
        foreach (var domain in domains.Values)
        {
            domain?.Dispose();
        }
        domains.Clear();
    }
}
