using KvmNovaTuner.OpenStack.Http;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.OpenStack.Nova;

/// <summary>
/// The compute API calls the tuner makes. The microversion is negotiated once from the endpoint's version
/// document: the newest both this client (<see cref="Microversion.Preferred"/>) and the server support.
/// </summary>
public sealed partial class NovaClient(OpenStackSession session)
{
    private const string ServiceType = "compute";
    private readonly SemaphoreSlim negotiation = new(1, 1);
    private Microversion? negotiated;

    /// <summary>The microversion in use (negotiating it first if needed).</summary>
    public async Task<Microversion> MicroversionAsync(CancellationToken cancellationToken = default)
    {
        if (negotiated is { } known) return known;
        await negotiation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (negotiated is { } again) return again;
            var endpoint = await session.EndpointAsync(ServiceType, cancellationToken).ConfigureAwait(false);
            var response = await session.SendAsync(new TransportRequest(ServiceType, HttpMethod.Get, endpoint + "/"), cancellationToken).ConfigureAwait(false);
            var version = response.Json()["version"];
            var max = Microversion.Parse((string?)version?["version"]);
            var chosen = max < Microversion.Preferred ? max : Microversion.Preferred;
            negotiated = chosen;
            return chosen;
        }
        finally
        {
            negotiation.Release();
        }
    }

    private async Task<JToken> CallAsync(HttpMethod method, string path, JToken? body, CancellationToken cancellationToken, params int[] accept)
    {
        var response = await SendAsync(method, path, body, cancellationToken, accept).ConfigureAwait(false);
        return response.Json();
    }

    private async Task<TransportResponse> SendAsync(HttpMethod method, string path, JToken? body, CancellationToken cancellationToken, params int[] accept)
    {
        var version = await MicroversionAsync(cancellationToken).ConfigureAwait(false);
        var endpoint = await session.EndpointAsync(ServiceType, cancellationToken).ConfigureAwait(false);
        var request = new TransportRequest(ServiceType, method, endpoint + path, body)
        {
            Headers = new Dictionary<string, string>
            {
                ["OpenStack-API-Version"] = $"compute {version}",
                ["X-OpenStack-Nova-API-Version"] = version.ToString(),
                ["Accept"] = "application/json",
            },
        };
        return await session.SendAsync(request, cancellationToken, accept).ConfigureAwait(false);
    }

    private static string Segment(string value) => Uri.EscapeDataString(value);
}
