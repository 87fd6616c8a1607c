using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.OpenStack.Http;

/// <summary>One HTTP request to an OpenStack endpoint (absolute URL), with a JSON body or raw bytes.</summary>
public sealed record TransportRequest(string Service, HttpMethod Method, string Url, JToken? Json = null)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public byte[]? RawContent { get; init; }
    public string RawContentType { get; init; } = "application/octet-stream";
}

/// <summary>An answered HTTP request: status, headers and body text.</summary>
public sealed record TransportResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public string? RequestId => Header("x-openstack-request-id") ?? Header("x-compute-request-id");

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public JToken Json() => Body.Length == 0 ? new JObject() : JToken.Parse(Body);
}
