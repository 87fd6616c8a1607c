using System.Globalization;
using System.Net;

namespace KvmNovaTuner.Agent.Configuration;

/// <summary>Parses <c>IP:PORT</c> (IPv6 as <c>[::1]:PORT</c>) into an endpoint; port 0 means any free port.</summary>
public static class ListenParser
{
    public static bool TryParse(string text, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.Loopback, 0);
        var colon = text.LastIndexOf(':');
        if (colon <= 0) return false;
        var host = text[..colon].Trim('[', ']');
        if (host == "localhost") host = "127.0.0.1";
        if (!IPAddress.TryParse(host, out var address)
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port > 65535)
        {
            return false;
        }
        endpoint = new IPEndPoint(address, port);
        return true;
    }
}
