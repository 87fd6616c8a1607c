using System.Net.Sockets;
using System.Text;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// Where the hook tells an operator what went wrong: stderr (libvirt logs a hook's output) and syslog through
/// <c>/dev/log</c> when the host has it (journald or rsyslog listen there), facility daemon, severity warning.
/// </summary>
public sealed class HookOperatorLog(string syslogSocket = HookOperatorLog.DefaultSyslogSocket, TextWriter? stderr = null)
{
    public const string DefaultSyslogSocket = "/dev/log";
    private const string Tag = "kvm-nova-tuner-hook";
    /// <summary>RFC 3164 priority: facility daemon (3) × 8 + severity warning (4).</summary>
    private const int DaemonWarning = 28;

    /// <summary>Writes the line to stderr and, when the socket exists, to syslog. Never throws.</summary>
    public void Report(string line)
    {
        try
        {
            (stderr ?? Console.Error).WriteLine(line);
        }
        catch (IOException)
        {
            // stderr closed: syslog is the other place an operator looks.
        }
        if (!File.Exists(syslogSocket))
        {
            return;
        }
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(syslogSocket));
            socket.Send(Encoding.UTF8.GetBytes($"<{DaemonWarning}>{Tag}[{Environment.ProcessId}]: {line}"));
        }
        catch (SocketException)
        {
            // No syslog daemon behind the socket: stderr already has the line.
        }
    }
}
