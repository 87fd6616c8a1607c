using System.Globalization;
using KvmNovaTuner.OpenStack.Auth;
using KvmNovaTuner.OpenStack.Http;

namespace KvmNovaTuner.Agent.Observability;

/// <summary>
/// The <c>api</c> check: the agent's cloud issues (or has issued) a valid Keystone token and its compute endpoint
/// answers with its version document, within a short time limit. The result is kept for a few seconds so frequent
/// scrapes do not hammer Keystone (a wrong password is not retried on every scrape). Without a cloud the check
/// says "not configured" and stays healthy: the agent then tunes and only logs outcomes.
/// </summary>
/// <param name="session">The agent's OpenStack session; null when no cloud is configured.</param>
public sealed class OpenStackApiCheck(Func<OpenStackSession?> session, TimeProvider time, TimeSpan? timeout = null, TimeSpan? cacheFor = null) : IHealthCheck
{
    public const string CheckName = "api";
    public const string ServiceType = "compute";
    public const string NotConfigured = "not configured: no OpenStack cloud, outcomes are only logged";

    /// <summary>Shorter than the reporter's per-check limit, so the answer names the endpoint that did not answer.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1.5);
    public static readonly TimeSpan DefaultCacheFor = TimeSpan.FromSeconds(10);

    private readonly TimeSpan _timeout = timeout ?? DefaultTimeout;
    private readonly TimeSpan _cacheFor = cacheFor ?? DefaultCacheFor;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (HealthCheckResult Result, DateTimeOffset At)? _last;

    public string Name => CheckName;

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken = default)
    {
        if (session() is not { } cloud)
        {
            return HealthCheckResult.Ok(NotConfigured);
        }
        // One probe at a time: concurrent scrapes wait for it and share its result.
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is { } last && time.GetUtcNow() - last.At < _cacheFor)
            {
                return last.Result;
            }
            var result = await ProbeAsync(cloud, cancellationToken).ConfigureAwait(false);
            _last = (result, time.GetUtcNow());
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<HealthCheckResult> ProbeAsync(OpenStackSession cloud, CancellationToken cancellationToken)
    {
        var keystone = cloud.Credentials.IdentityV3Url;
        using var limit = new CancellationTokenSource(_timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, limit.Token);
        try
        {
            var probe = await cloud.ProbeAsync(ServiceType, linked.Token).ConfigureAwait(false);
            return HealthCheckResult.Ok(cloud.Redactor.Scrub($"token from Keystone {probe.IdentityUrl} valid; compute {probe.ServiceUrl} answered {probe.StatusCode}"));
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var seconds = _timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            return Fail(cloud, $"no answer from Keystone {keystone} or the compute endpoint within {seconds}s");
        }
        catch (OpenStackApiException e) when (e.Service == "identity")
        {
            return Fail(cloud, $"Keystone {keystone}: {e.Message}");
        }
        catch (OpenStackApiException e)
        {
            // The message names the compute endpoint ("GET http://nova/v2.1/: ...").
            return Fail(cloud, e.Message);
        }
        catch (OpenStackUnavailableException e)
        {
            // The transport's message names the URL that failed.
            return Fail(cloud, e.Message);
        }
        catch (CloudConfigException e)
        {
            return Fail(cloud, $"Keystone {keystone}: {e.Message}");
        }
    }

    // Transport messages are scrubbed already; scrubbing again costs nothing and keeps /healthz free of secrets.
    private static HealthCheckResult Fail(OpenStackSession cloud, string detail) => HealthCheckResult.Fail(cloud.Redactor.Scrub(detail));
}
