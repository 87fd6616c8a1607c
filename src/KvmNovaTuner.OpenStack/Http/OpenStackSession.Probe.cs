using Polly;

namespace KvmNovaTuner.OpenStack.Http;

/// <summary>What a reachability probe found: the identity and service endpoints that answered, and the service's status.</summary>
public sealed record ApiProbeResult(string IdentityUrl, string ServiceUrl, int StatusCode);

public sealed partial class OpenStackSession
{
    /// <summary>
    /// Checks that the cloud answers, once and without retries (for a health check): a valid token (the cached one,
    /// else a new one from Keystone) and the <paramref name="serviceType"/> endpoint's version document.
    /// Throws <see cref="OpenStackAuthenticationException"/>, <see cref="OpenStackApiException"/> or
    /// <see cref="OpenStackUnavailableException"/>, whose messages never carry a secret.
    /// </summary>
    public async Task<ApiProbeResult> ProbeAsync(string serviceType, CancellationToken cancellationToken = default)
    {
        var current = await GetTokenAsync(ResiliencePipeline.Empty, cancellationToken).ConfigureAwait(false);
        var endpoint = current.Catalog.Find(serviceType, Credentials.Interface, Credentials.RegionName).TrimEnd('/');
        var request = new TransportRequest(serviceType, HttpMethod.Get, endpoint + "/")
        {
            Headers = new Dictionary<string, string> { ["X-Auth-Token"] = current.Value, ["Accept"] = "application/json" },
        };
        var response = await transport.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == 401)
        {
            // A revoked token: the next probe (and call) authenticates again.
            await InvalidateAsync(current, cancellationToken).ConfigureAwait(false);
        }
        if (!response.IsSuccess)
        {
            throw transport.ErrorFrom(serviceType, $"GET {endpoint}/", response);
        }
        return new ApiProbeResult(Credentials.IdentityV3Url, endpoint, response.StatusCode);
    }
}
