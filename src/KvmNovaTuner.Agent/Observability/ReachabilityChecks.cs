using System.Net.Sockets;

namespace KvmNovaTuner.Agent.Observability;

/// <summary>Healthy when a TCP connection to host:port opens (broker, API endpoint, tcp: OVSDB).</summary>
public sealed class TcpReachabilityCheck(string name, string host, int port) : IHealthCheck
{
    public string Name => name;

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken = default)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        return HealthCheckResult.Ok($"{host}:{port} reachable");
    }
}

/// <summary>Healthy when a unix stream socket accepts a connection (libvirt, OVSDB, hook socket).</summary>
public sealed class UnixSocketCheck(string name, string path) : IHealthCheck
{
    public string Name => name;

    public async Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            return HealthCheckResult.Fail($"{path} does not exist");
        }
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
        return HealthCheckResult.Ok($"{path} accepts connections");
    }
}
