using System.Text;

namespace KvmNovaTuner.Agent.Observability;

/// <summary>Reads an HTTP request head (up to 8 KiB) and returns the path of a GET, or null when it is not one.</summary>
internal static class HttpRequestReader
{
    private const int MaxHead = 8192;

    public static async Task<string?> ReadPathAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxHead];
        var length = 0;
        while (length < MaxHead)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0) break;
            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0) break;
        }
        var head = Encoding.ASCII.GetString(buffer, 0, length);
        var firstLine = head.Split("\r\n", 2)[0].Split(' ');
        if (firstLine.Length < 2 || firstLine[0] is not ("GET" or "HEAD")) return null;
        var target = firstLine[1];
        var query = target.IndexOf('?', StringComparison.Ordinal);
        return query >= 0 ? target[..query] : target;
    }
}
