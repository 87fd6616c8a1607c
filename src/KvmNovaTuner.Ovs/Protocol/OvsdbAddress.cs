using System.Net;
using System.Net.Sockets;

namespace KvmNovaTuner.Ovs.Protocol;

/// <summary>Where an OVSDB server listens, in OVS's own notation: <c>unix:PATH</c> or <c>tcp:HOST:PORT</c>.</summary>
public sealed record OvsdbAddress(string Text, EndPoint EndPoint)
{
    /// <summary>Parses <c>unix:PATH</c> or <c>tcp:HOST:PORT</c> (IPv6 hosts in brackets); throws <see cref="FormatException"/> naming the problem.</summary>
    public static OvsdbAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.StartsWith("unix:", StringComparison.Ordinal) && text.Length > 5)
        {
            return new OvsdbAddress(text, new UnixDomainSocketEndPoint(text[5..]));
        }
        if (text.StartsWith("tcp:", StringComparison.Ordinal))
        {
            var rest = text[4..];
            var colon = rest.LastIndexOf(':');
            if (colon > 0 && int.TryParse(rest[(colon + 1)..], out var port) && port is > 0 and < 65536)
            {
                var host = rest[..colon].Trim('[', ']');
                EndPoint endPoint = IPAddress.TryParse(host, out var ip) ? new IPEndPoint(ip, port) : new DnsEndPoint(host, port);
                return new OvsdbAddress(text, endPoint);
            }
        }
        throw new FormatException($"OVSDB address '{text}' is not unix:PATH or tcp:HOST:PORT");
    }

    public override string ToString() => Text;
}
