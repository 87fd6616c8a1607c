using KvmNovaTuner.Core.Secrets;
using KvmNovaTuner.OpenStack.Auth;
using Microsoft.Extensions.Logging;
using Polly;

namespace KvmNovaTuner.OpenStack.Http;

/// <summary>
/// An authenticated connection to one cloud: caches the Keystone token until shortly before it expires,
/// finds service endpoints in its catalog, re-authenticates once on a 401, and runs every call through the
/// retry pipeline. Errors come back as <see cref="OpenStackApiException"/>.
/// </summary>
public sealed partial class OpenStackSession
{
    private readonly KeystoneAuthenticator authenticator;
    private readonly OpenStackTransport transport;
    private readonly ResiliencePipeline retry;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly SemaphoreSlim tokenLock = new(1, 1);
    private KeystoneToken? token;

    public OpenStackSession(CloudCredentials credentials, OpenStackTransport transport, ResiliencePipeline retry, TimeProvider time, ILogger logger)
    {
        Credentials = credentials;
        this.transport = transport;
        this.retry = retry;
        this.time = time;
        this.logger = logger;
        foreach (var secret in credentials.Secrets()) transport.Redactor.Add(secret);
        authenticator = new KeystoneAuthenticator(credentials, transport);
    }

    public CloudCredentials Credentials { get; }

    public SecretRedactor Redactor => transport.Redactor;

    /// <summary>How many tokens this session obtained (first one plus renewals and re-authentications).</summary>
    public int TokensIssued { get; private set; }

    /// <summary>The current token, renewed when it is close to its expires_at.</summary>
    public Task<KeystoneToken> GetTokenAsync(CancellationToken cancellationToken = default) => GetTokenAsync(retry, cancellationToken);

    private async Task<KeystoneToken> GetTokenAsync(ResiliencePipeline authentication, CancellationToken cancellationToken)
    {
        await tokenLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (token is null || token.NeedsRenewal(time.GetUtcNow()))
            {
                var renewing = token is not null;
                token = await authentication.ExecuteAsync(async ct => await authenticator.AuthenticateAsync(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                TokensIssued++;
                logger.LogInformation("Authenticated to {Cloud}{Renewal}; token expires {ExpiresAt:O}",
                    Credentials.CloudName, renewing ? " (renewed before expiry)" : "", token.ExpiresAt);
            }
            return token;
        }
        finally
        {
            tokenLock.Release();
        }
    }

    /// <summary>The endpoint URL of a service type (compute, image, identity) for this cloud's region and interface.</summary>
    public async Task<string> EndpointAsync(string serviceType, CancellationToken cancellationToken = default)
    {
        var current = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        return current.Catalog.Find(serviceType, Credentials.Interface, Credentials.RegionName);
    }

    /// <summary>
    /// Sends a request to <paramref name="url"/> with the token; on a 401 gets a new token and tries once more.
    /// Non-2xx answers throw <see cref="OpenStackApiException"/> (2xx and the statuses in <paramref name="accept"/> return).
    /// </summary>
    public Task<TransportResponse> SendAsync(TransportRequest request, CancellationToken cancellationToken = default, params int[] accept) =>
        retry.ExecuteAsync(async ct => await SendOnceAsync(request, accept, ct).ConfigureAwait(false), cancellationToken).AsTask();

    private async Task<TransportResponse> SendOnceAsync(TransportRequest request, int[] accept, CancellationToken cancellationToken)
    {
        var current = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
        var response = await transport.SendAsync(WithToken(request, current), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == 401)
        {
            logger.LogInformation("{Service} answered 401; re-authenticating once", request.Service);
            await InvalidateAsync(current, cancellationToken).ConfigureAwait(false);
            current = await GetTokenAsync(cancellationToken).ConfigureAwait(false);
            response = await transport.SendAsync(WithToken(request, current), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == 401)
            {
                throw transport.ErrorFrom(request.Service, $"{request.Method} {PathOf(request.Url)}", response,
                    "the service refused a freshly issued token (check the service user's role and the service's keystone_authtoken settings)");
            }
        }
        if (!response.IsSuccess && !accept.Contains(response.StatusCode))
        {
            throw transport.ErrorFrom(request.Service, $"{request.Method} {PathOf(request.Url)}", response);
        }
        return response;
    }

    private async Task InvalidateAsync(KeystoneToken stale, CancellationToken cancellationToken)
    {
        await tokenLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(token, stale)) token = null;
        }
        finally
        {
            tokenLock.Release();
        }
    }

    private static TransportRequest WithToken(TransportRequest request, KeystoneToken token) =>
        request with { Headers = new Dictionary<string, string>(request.Headers) { ["X-Auth-Token"] = token.Value } };

    private static string PathOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
}
