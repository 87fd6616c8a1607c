using System.Diagnostics;
using System.Text;
using Flurl.Http;
using KvmNovaTuner.Core.Secrets;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.OpenStack.Http;

/// <summary>
/// Sends requests through one Flurl client (TLS verification on unless the cloud says otherwise) and turns
/// connection failures into <see cref="OpenStackUnavailableException"/> (and a cancelled call into
/// <see cref="OperationCanceledException"/>). No auth and no retries here.
/// </summary>
public sealed class OpenStackTransport(IFlurlClient client, SecretRedactor redactor, ILogger logger, TimeSpan timeout)
{
    public SecretRedactor Redactor { get; } = redactor;

    public async Task<TransportResponse> SendAsync(TransportRequest request, CancellationToken cancellationToken)
    {
        var flurl = client.Request(request.Url).WithSettings(s =>
        {
            s.AllowedHttpStatusRange = "*";
            s.Timeout = timeout;
        });
        foreach (var (name, value) in request.Headers) flurl = flurl.WithHeader(name, value);
        HttpContent? content = request.RawContent is { } raw
            ? new ByteArrayContent(raw) { Headers = { ContentType = new(request.RawContentType) } }
            : request.Json is { } json ? new Flurl.Http.Content.CapturedStringContent(json.ToString(Newtonsoft.Json.Formatting.None), "application/json") : null;

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await flurl.SendAsync(request.Method, content, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            var body = await response.GetStringAsync().ConfigureAwait(false);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var (name, value) in response.Headers) headers.TryAdd(name, value);
            logger.LogDebug("{Service} {Method} {Url} -> {Status} in {Elapsed} ms", request.Service, request.Method, Redactor.Scrub(request.Url),
                response.StatusCode, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new TransportResponse(response.StatusCode, headers, body);
        }
        catch (FlurlHttpTimeoutException e)
        {
            // A POST that timed out may have been acted on: never repeat it blindly.
            var idempotent = request.Method != HttpMethod.Post && request.Method.Method != "PATCH";
            throw new OpenStackUnavailableException(Redactor.Scrub($"{request.Service} {request.Method} {request.Url} timed out after {timeout.TotalSeconds:0.#} s"), e, idempotent);
        }
        catch (FlurlHttpException e) when (e.Call?.Response is null && cancellationToken.IsCancellationRequested)
        {
            // Flurl wraps the caller's cancellation; callers (health check time limits, shutdown) expect it as such.
            throw new OperationCanceledException(Redactor.Scrub($"{request.Service} {request.Method} {request.Url} cancelled"), e, cancellationToken);
        }
        catch (FlurlHttpException e) when (e.Call?.Response is null && !cancellationToken.IsCancellationRequested)
        {
            var reason = e.InnerException?.Message ?? e.Message;
            throw new OpenStackUnavailableException(Redactor.Scrub($"{request.Service} {request.Method} {request.Url} failed: {reason}"), e);
        }
    }

    /// <summary>A typed error for an answered request; the message comes from the body, scrubbed of secrets.</summary>
    public OpenStackApiException ErrorFrom(string service, string what, TransportResponse response, string? prefix = null)
    {
        var detail = Redactor.Scrub($"{what}: {(prefix is null ? "" : prefix + ": ")}{ErrorBody.Message(response.Body, response.StatusCode)}");
        return response.StatusCode == 401
            ? new OpenStackAuthenticationException(service, response.StatusCode, response.RequestId, detail)
            : new OpenStackApiException(service, response.StatusCode, response.RequestId, detail);
    }
}
