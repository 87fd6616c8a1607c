using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.OpenStack.Auth;

/// <summary>One endpoint of the Keystone service catalog.</summary>
public sealed record CatalogEndpoint(string ServiceType, string ServiceName, string Interface, string? Region, string Url);

/// <summary>The service catalog from a token: finds a service's endpoint by type, region and interface.</summary>
public sealed class ServiceCatalog(IReadOnlyList<CatalogEndpoint> endpoints)
{
    public IReadOnlyList<CatalogEndpoint> Endpoints { get; } = endpoints;

    public static ServiceCatalog Parse(JToken? catalog)
    {
        var list = new List<CatalogEndpoint>();
        foreach (var service in catalog?.Children() ?? Enumerable.Empty<JToken>())
        {
            var type = (string?)service["type"] ?? "";
            var name = (string?)service["name"] ?? "";
            foreach (var e in service["endpoints"]?.Children() ?? Enumerable.Empty<JToken>())
            {
                list.Add(new CatalogEndpoint(type, name, (string?)e["interface"] ?? "public",
                    (string?)e["region_id"] ?? (string?)e["region"], ((string?)e["url"] ?? "").TrimEnd('/')));
            }
        }
        return new ServiceCatalog(list);
    }

    /// <summary>The URL of <paramref name="serviceType"/> for the interface and (when given) region.</summary>
    public string Find(string serviceType, string @interface, string? region)
    {
        var wantedInterface = @interface.Replace("URL", "", StringComparison.OrdinalIgnoreCase);
        var match = Endpoints.FirstOrDefault(e =>
            e.ServiceType == serviceType
            && string.Equals(e.Interface, wantedInterface, StringComparison.OrdinalIgnoreCase)
            && (region is null || string.Equals(e.Region, region, StringComparison.Ordinal)));
        if (match is not null) return match.Url;

        var offered = Endpoints.Where(e => e.ServiceType == serviceType).Select(e => $"{e.Interface}@{e.Region ?? "-"}").ToList();
        throw new CloudConfigException(offered.Count == 0
            ? $"the service catalog has no '{serviceType}' service"
            : $"the service catalog has no {wantedInterface} '{serviceType}' endpoint in region {region ?? "(any)"} (offered: {string.Join(", ", offered)})");
    }
}
