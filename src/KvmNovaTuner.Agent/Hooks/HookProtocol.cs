using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// The hook socket protocol: one connection per call; the hook writes one JSON line (<see cref="HookEvent"/>), the
/// agent answers one JSON line (<see cref="HookAck"/>) once the event is durably queued, and both close.
/// </summary>
public static class HookProtocol
{
    /// <summary>Longest line either side accepts (a domain's extra specs are a few KiB).</summary>
    public const int MaxLineBytes = 1 << 20;

    public static async Task WriteLineAsync<T>(Socket socket, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, type);
        var line = new byte[bytes.Length + 1];
        bytes.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        var sent = 0;
        while (sent < line.Length)
        {
            sent += await socket.SendAsync(line.AsMemory(sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads up to the first newline; throws <see cref="InvalidDataException"/> on EOF before it or an over-long line.</summary>
    public static async Task<T> ReadLineAsync<T>(Socket socket, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var used = 0;
        while (true)
        {
            if (used == buffer.Length)
            {
                if (buffer.Length >= MaxLineBytes)
                {
                    throw new InvalidDataException($"line longer than {MaxLineBytes} bytes");
                }
                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxLineBytes));
            }
            var n = await socket.ReceiveAsync(buffer.AsMemory(used), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new InvalidDataException("connection closed before a full line");
            }
            var newline = Array.IndexOf(buffer, (byte)'\n', used, n);
            used += n;
            if (newline >= 0)
            {
                try
                {
                    return JsonSerializer.Deserialize(buffer.AsSpan(0, newline), type) ?? throw new InvalidDataException("null message");
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"not a valid message: {e.Message}", e);
                }
            }
        }
    }
}
