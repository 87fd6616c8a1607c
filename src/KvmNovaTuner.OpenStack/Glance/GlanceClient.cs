using KvmNovaTuner.OpenStack.Http;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.OpenStack.Glance;

/// <summary>The image API v2 calls the tuner makes: list (with property filters), show, delete, and create/upload for tests.</summary>
public sealed class GlanceClient(OpenStackSession session)
{
    private const string ServiceType = "image";

    /// <summary>Every image matching the filters (e.g. image_type=snapshot, instance_uuid=...), following pagination.</summary>
    public async Task<IReadOnlyList<GlanceImage>> ListImagesAsync(IReadOnlyDictionary<string, string>? filters = null, CancellationToken cancellationToken = default)
    {
        var endpoint = await EndpointAsync(cancellationToken).ConfigureAwait(false);
        var query = string.Join("&", (filters ?? new Dictionary<string, string>()).Select(f => $"{Uri.EscapeDataString(f.Key)}={Uri.EscapeDataString(f.Value)}"));
        string? next = "/v2/images?limit=100" + (query.Length > 0 ? "&" + query : "");
        var images = new List<GlanceImage>();
        while (next is not null)
        {
            var response = await session.SendAsync(Request(HttpMethod.Get, endpoint + next), cancellationToken).ConfigureAwait(false);
            var json = response.Json();
            images.AddRange(json["images"]?.Children().Select(GlanceImage.FromJson) ?? []);
            next = (string?)json["next"];
        }
        return images;
    }

    public async Task<GlanceImage?> FindImageAsync(string imageId, CancellationToken cancellationToken = default)
    {
        var endpoint = await EndpointAsync(cancellationToken).ConfigureAwait(false);
        var response = await session.SendAsync(Request(HttpMethod.Get, $"{endpoint}/v2/images/{Uri.EscapeDataString(imageId)}"), cancellationToken, 404).ConfigureAwait(false);
        return response.StatusCode == 404 ? null : GlanceImage.FromJson(response.Json());
    }

    /// <summary>Deletes an image; one that is already gone is not an error.</summary>
    public async Task DeleteImageAsync(string imageId, CancellationToken cancellationToken = default)
    {
        var endpoint = await EndpointAsync(cancellationToken).ConfigureAwait(false);
        await session.SendAsync(Request(HttpMethod.Delete, $"{endpoint}/v2/images/{Uri.EscapeDataString(imageId)}"), cancellationToken, 404).ConfigureAwait(false);
    }

    /// <summary>Creates an image record (queued) with extra properties.</summary>
    public async Task<GlanceImage> CreateImageAsync(string name, IReadOnlyDictionary<string, string>? properties = null, CancellationToken cancellationToken = default)
    {
        var endpoint = await EndpointAsync(cancellationToken).ConfigureAwait(false);
        var body = new JObject { ["name"] = name, ["disk_format"] = "raw", ["container_format"] = "bare" };
        foreach (var (k, v) in properties ?? new Dictionary<string, string>()) body[k] = v;
        var response = await session.SendAsync(Request(HttpMethod.Post, $"{endpoint}/v2/images") with { Json = body }, cancellationToken).ConfigureAwait(false);
        return GlanceImage.FromJson(response.Json());
    }

    /// <summary>Sets image fields and properties (JSON patch "add", which also replaces), e.g. protected or disk_format.</summary>
    public async Task<GlanceImage> UpdateAsync(string imageId, IReadOnlyDictionary<string, JToken> values, CancellationToken cancellationToken = default)
    {
        var endpoint = await EndpointAsync(cancellationToken).ConfigureAwait(false);
        var patch = new JArray(values.Select(v => new JObject { ["op"] = "add", ["path"] = "/" + v.Key, ["value"] = v.Value }));
        var request = Request(new HttpMethod("PATCH"), $"{endpoint}/v2/images/{Uri.EscapeDataString(imageId)}") with
        {
            RawContent = System.Text.Encoding.UTF8.GetBytes(patch.ToString(Newtonsoft.Json.Formatting.None)),
            RawContentType = "application/openstack-images-v2.1-json-patch",
        };
        var response = await session.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return GlanceImage.FromJson(response.Json());
    }

    /// <summary>Uploads image data (the image becomes active).</summary>
    public async Task UploadAsync(string imageId, byte[] data, CancellationToken cancellationToken = default)
    {
        var endpoint = await EndpointAsync(cancellationToken).ConfigureAwait(false);
        var request = Request(HttpMethod.Put, $"{endpoint}/v2/images/{Uri.EscapeDataString(imageId)}/file") with { RawContent = data };
        await session.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> EndpointAsync(CancellationToken cancellationToken)
    {
        var url = await session.EndpointAsync(ServiceType, cancellationToken).ConfigureAwait(false);
        // Catalogs list Glance with or without the version suffix.
        return url.EndsWith("/v2", StringComparison.Ordinal) ? url[..^3] : url;
    }

    private static TransportRequest Request(HttpMethod method, string url) => new(ServiceType, method, url);
}
