using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using KvmNovaTuner.Agent.Logging;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Observability;

/// <summary>
/// A small HTTP/1.1 endpoint (one request per connection) serving <c>/healthz</c> (JSON, 200 or 503) and
/// Prometheus <c>/metrics</c>. Bound to loopback by default; port 0 picks a free port (see <see cref="Endpoint"/>).
/// </summary>
public sealed class ObservabilityServer(IPEndPoint listen, AgentMetrics metrics, HealthReporter health, ILogger<ObservabilityServer> logger) : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private readonly TcpListener _listener = new(listen);
    private readonly CancellationTokenSource _stop = new();
    private Task? _acceptLoop;
    private int _disposed;

    /// <summary>The address actually bound, once started.</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    public void Start()
    {
        _listener.Start();
        logger.LogInformation(LogEvents.HealthEndpointListening, "Serving /healthz and /metrics on http://{Endpoint}", Endpoint.ToString());
        _acceptLoop = AcceptLoopAsync(_stop.Token);
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            _ = ServeAsync(client, cancellationToken);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            var stream = client.GetStream();
            var path = await HttpRequestReader.ReadPathAsync(stream, timeout.Token).ConfigureAwait(false);
            var (status, contentType, body) = path switch
            {
                "/healthz" => await HealthAsync(timeout.Token).ConfigureAwait(false),
                "/metrics" => await MetricsAsync(timeout.Token).ConfigureAwait(false),
                null => (400, "text/plain", "bad request\n"u8.ToArray()),
                _ => (404, "text/plain", "not found: try /healthz or /metrics\n"u8.ToArray()),
            };
            var head = $"HTTP/1.1 {status} {ReasonPhrase(status)}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token).ConfigureAwait(false);
            await stream.WriteAsync(body, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            logger.LogDebug(LogEvents.HttpRequestFailed, "Observability request failed: {Reason}", e.Message);
        }
    }

    private async Task<(int, string, byte[])> HealthAsync(CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (name, result) in report.Checks.Where(c => !c.Value.Healthy))
        {
            logger.LogWarning(LogEvents.HealthCheckFailed, "Health check {Check} failed: {Detail}", name, result.Detail);
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            status = report.Healthy ? "ok" : "unhealthy",
            checks = report.Checks.ToDictionary(c => c.Key, c => new { status = c.Value.Healthy ? "ok" : "fail", detail = c.Value.Detail }),
        });
        return (report.Healthy ? 200 : 503, "application/json", body);
    }

    private async Task<(int, string, byte[])> MetricsAsync(CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await metrics.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        return (200, "text/plain; version=0.0.4; charset=utf-8", buffer.ToArray());
    }

    private static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Service Unavailable",
    };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
