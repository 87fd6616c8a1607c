using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.OpenStack.Nova;

/// <summary>Servers: show, metadata, tags, createImage, rebuild (and create/delete for tests and tools).</summary>
public sealed partial class NovaClient
{
    /// <summary>The server, with its flavor's extra specs when the microversion is 2.47 or newer.</summary>
    public async Task<NovaServer> GetServerAsync(string serverId, CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, $"/servers/{Segment(serverId)}", null, cancellationToken).ConfigureAwait(false);
        return NovaServer.FromJson(json["server"]!);
    }

    /// <summary>The server, or null when Nova does not know it (404).</summary>
    public async Task<NovaServer?> FindServerAsync(string serverId, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(HttpMethod.Get, $"/servers/{Segment(serverId)}", null, cancellationToken, 404).ConfigureAwait(false);
        return response.StatusCode == 404 ? null : NovaServer.FromJson(response.Json()["server"]!);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetMetadataAsync(string serverId, CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, $"/servers/{Segment(serverId)}/metadata", null, cancellationToken).ConfigureAwait(false);
        return NovaFlavor.StringMap(json["metadata"]);
    }

    /// <summary>Sets one metadata item (key 1-255 chars of [a-zA-Z0-9-_:. ], value up to 255 chars).</summary>
    public Task SetMetadataItemAsync(string serverId, string key, string value, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Put, $"/servers/{Segment(serverId)}/metadata/{Segment(key)}",
            new JObject { ["meta"] = new JObject { [key] = value } }, cancellationToken);

    /// <summary>Deletes one metadata item; an item that is already gone is not an error.</summary>
    public Task DeleteMetadataItemAsync(string serverId, string key, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"/servers/{Segment(serverId)}/metadata/{Segment(key)}", null, cancellationToken, 404);

    public Task AddTagAsync(string serverId, string tag, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Put, $"/servers/{Segment(serverId)}/tags/{Segment(tag)}", null, cancellationToken);

    public Task RemoveTagAsync(string serverId, string tag, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"/servers/{Segment(serverId)}/tags/{Segment(tag)}", null, cancellationToken, 404);

    public async Task<IReadOnlyList<string>> ListTagsAsync(string serverId, CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, $"/servers/{Segment(serverId)}/tags", null, cancellationToken).ConfigureAwait(false);
        return json["tags"]?.Children().Select(t => (string)t!).ToList() ?? [];
    }

    /// <summary>Starts a snapshot of the server; returns the new image id.</summary>
    public async Task<string> CreateImageAsync(string serverId, string imageName, IReadOnlyDictionary<string, string>? metadata = null, CancellationToken cancellationToken = default)
    {
        var body = new JObject { ["createImage"] = new JObject { ["name"] = imageName, ["metadata"] = JObject.FromObject(metadata ?? new Dictionary<string, string>()) } };
        var response = await SendAsync(HttpMethod.Post, $"/servers/{Segment(serverId)}/action", body, cancellationToken).ConfigureAwait(false);
        if (response.Body.Length > 0 && (string?)response.Json()["image_id"] is { } imageId) return imageId;
        // Before 2.45 the image id is only in the Location header.
        return response.Header("Location")?.TrimEnd('/').Split('/')[^1]
            ?? throw new Http.OpenStackApiException("compute", response.StatusCode, response.RequestId, "createImage answered without an image id");
    }

    /// <summary>Rebuilds the server from an image. Metadata is left alone (a body with metadata would replace it all).</summary>
    public Task RebuildAsync(string serverId, string imageId, CancellationToken cancellationToken = default) =>
        CallAsync(HttpMethod.Post, $"/servers/{Segment(serverId)}/action", new JObject { ["rebuild"] = new JObject { ["imageRef"] = imageId } }, cancellationToken);

    /// <summary>Sets the server's vm_state (admin action <c>os-resetState</c>: <c>error</c> or <c>active</c>) without touching the guest.</summary>
    public Task ResetStateAsync(string serverId, string state, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"/servers/{Segment(serverId)}/action", new JObject { ["os-resetState"] = new JObject { ["state"] = state } }, cancellationToken);

    /// <summary>Boots a server with no network (tests and demos).</summary>
    public async Task<string> CreateServerAsync(string name, string imageId, string flavorId, CancellationToken cancellationToken = default)
    {
        var body = new JObject { ["server"] = new JObject { ["name"] = name, ["imageRef"] = imageId, ["flavorRef"] = flavorId, ["networks"] = "none" } };
        var json = await CallAsync(HttpMethod.Post, "/servers", body, cancellationToken).ConfigureAwait(false);
        return (string)json["server"]!["id"]!;
    }

    public Task DeleteServerAsync(string serverId, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"/servers/{Segment(serverId)}", null, cancellationToken, 404);
}
