using KvmNovaTuner.Agent.Configuration;

namespace KvmNovaTuner.Agent.Observability;

/// <summary>The reachability checks implied by the configuration: broker, libvirt and OVSDB.</summary>
public static class DefaultHealthChecks
{
    public const string LibvirtSystemSocket = "/var/run/libvirt/libvirt-sock";

    public static IReadOnlyList<IHealthCheck> From(TunerOptions options)
    {
        var checks = new List<IHealthCheck>
        {
            new TcpReachabilityCheck("broker", options.RabbitMq.Url.Host, options.RabbitMq.Url.IsDefaultPort || options.RabbitMq.Url.Port <= 0
                ? (options.RabbitMq.Url.Scheme == "amqps" ? 5671 : 5672)
                : options.RabbitMq.Url.Port),
            Libvirt(options.Libvirt.Uri),
            Ovsdb(options.Ovs.Ovsdb),
        };
        return checks;
    }

    private static IHealthCheck Libvirt(string uri)
    {
        if (uri.StartsWith("test:", StringComparison.Ordinal))
        {
            return new DelegateHealthCheck("libvirt", _ => Task.FromResult(HealthCheckResult.Ok("test driver (in-process)")));
        }
        var socketQuery = uri.IndexOf("socket=", StringComparison.Ordinal);
        var path = socketQuery >= 0 ? uri[(socketQuery + 7)..].Split('&')[0] : LibvirtSystemSocket;
        return new UnixSocketCheck("libvirt", path);
    }

    private static IHealthCheck Ovsdb(string address)
    {
        if (address.StartsWith("unix:", StringComparison.Ordinal))
        {
            return new UnixSocketCheck("ovsdb", address[5..]);
        }
        var hostPort = address[4..];
        var colon = hostPort.LastIndexOf(':');
        return new TcpReachabilityCheck("ovsdb", hostPort[..colon].Trim('[', ']'), int.Parse(hostPort[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
