using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.OpenStack.Nova;

/// <summary>Flavors: list, show, create, description, extra specs, access.</summary>
public sealed partial class NovaClient
{
    /// <summary>Every flavor, public and private (admin), with extra specs.</summary>
    public async Task<IReadOnlyList<NovaFlavor>> ListFlavorsAsync(CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, "/flavors/detail?is_public=None", null, cancellationToken).ConfigureAwait(false);
        var flavors = new List<NovaFlavor>();
        foreach (var f in json["flavors"]?.Children() ?? Enumerable.Empty<JToken>())
        {
            flavors.Add(await WithExtraSpecsAsync(NovaFlavor.FromJson(f), f, cancellationToken).ConfigureAwait(false));
        }
        return flavors;
    }

    public async Task<NovaFlavor> GetFlavorAsync(string flavorId, CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, $"/flavors/{Segment(flavorId)}", null, cancellationToken).ConfigureAwait(false);
        return await WithExtraSpecsAsync(NovaFlavor.FromJson(json["flavor"]!), json["flavor"]!, cancellationToken).ConfigureAwait(false);
    }

    public async Task<NovaFlavor> CreateFlavorAsync(FlavorSpec spec, CancellationToken cancellationToken = default)
    {
        var flavor = new JObject
        {
            ["name"] = spec.Name, ["vcpus"] = spec.Vcpus, ["ram"] = spec.RamMb, ["disk"] = spec.DiskGb,
            ["os-flavor-access:is_public"] = spec.IsPublic,
        };
        if (spec.Description is not null && await MicroversionAsync(cancellationToken).ConfigureAwait(false) >= Microversion.FlavorDescription)
        {
            flavor["description"] = spec.Description;
        }
        var json = await CallAsync(HttpMethod.Post, "/flavors", new JObject { ["flavor"] = flavor }, cancellationToken).ConfigureAwait(false);
        return NovaFlavor.FromJson(json["flavor"]!);
    }

    public Task UpdateFlavorDescriptionAsync(string flavorId, string? description, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Put, $"/flavors/{Segment(flavorId)}", new JObject { ["flavor"] = new JObject { ["description"] = description } }, cancellationToken);

    /// <summary>Adds or changes extra specs (one call for all of them).</summary>
    public Task SetExtraSpecsAsync(string flavorId, IReadOnlyDictionary<string, string> specs, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, $"/flavors/{Segment(flavorId)}/os-extra_specs",
            new JObject { ["extra_specs"] = JObject.FromObject(specs) }, cancellationToken);

    public Task DeleteExtraSpecAsync(string flavorId, string key, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Delete, $"/flavors/{Segment(flavorId)}/os-extra_specs/{Segment(key)}", null, cancellationToken);

    public async Task<IReadOnlyDictionary<string, string>> GetExtraSpecsAsync(string flavorId, CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, $"/flavors/{Segment(flavorId)}/os-extra_specs", null, cancellationToken).ConfigureAwait(false);
        return NovaFlavor.StringMap(json["extra_specs"]);
    }

    public Task DeleteFlavorAsync(string flavorId, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Delete, $"/flavors/{Segment(flavorId)}", null, cancellationToken);

    /// <summary>Projects that may use a private flavor.</summary>
    public async Task<IReadOnlyList<string>> ListFlavorAccessAsync(string flavorId, CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, $"/flavors/{Segment(flavorId)}/os-flavor-access", null, cancellationToken).ConfigureAwait(false);
        return json["flavor_access"]?.Children().Select(a => (string)a["tenant_id"]!).ToList() ?? [];
    }

    public Task AddFlavorAccessAsync(string flavorId, string projectId, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, $"/flavors/{Segment(flavorId)}/action",
            new JObject { ["addTenantAccess"] = new JObject { ["tenant"] = projectId } }, cancellationToken);

    public Task RemoveFlavorAccessAsync(string flavorId, string projectId, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, $"/flavors/{Segment(flavorId)}/action",
            new JObject { ["removeTenantAccess"] = new JObject { ["tenant"] = projectId } }, cancellationToken);

    private async Task<NovaFlavor> WithExtraSpecsAsync(NovaFlavor flavor, JToken json, CancellationToken cancellationToken)
    {
        // Before 2.61 flavor responses carry no extra specs: fetch them.
        if (json["extra_specs"] is not null) return flavor;
        return flavor with { ExtraSpecs = await GetExtraSpecsAsync(flavor.Id, cancellationToken).ConfigureAwait(false) };
    }
}
