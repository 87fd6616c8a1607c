using System.Net.Sockets;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>The hook's side of the socket: connect, send one event, read the agent's acknowledgement, all under the caller's deadline.</summary>
public static class HookClient
{
    /// <summary>Hands the event to the agent. Throws <see cref="SocketException"/>, <see cref="InvalidDataException"/> or <see cref="OperationCanceledException"/> when it could not.</summary>
    public static async Task<HookAck> SendAsync(string socketPath, HookEvent hookEvent, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
        await HookProtocol.WriteLineAsync(socket, hookEvent, HookJsonContext.Default.HookEvent, cancellationToken).ConfigureAwait(false);
        return await HookProtocol.ReadLineAsync(socket, HookJsonContext.Default.HookAck, cancellationToken).ConfigureAwait(false);
    }
}
