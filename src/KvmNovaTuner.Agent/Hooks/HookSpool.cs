using System.Runtime.InteropServices;
using System.Text.Json;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// The durable hand-over directory between the hook and the agent: one <c>&lt;message id&gt;.json</c> file per event,
/// written atomically (temp file, fsync, rename, fsync of the directory) so a crash leaves either the whole event or
/// nothing. The hook writes here when the agent is unreachable; the agent writes here before it acknowledges, and
/// deletes a file only once the event's outcome is journaled.
/// </summary>
public sealed partial class HookSpool(string directory)
{
    private const string Suffix = ".json";

    public string Directory { get; } = directory;

    /// <summary>The file an event is (or would be) spooled in.</summary>
    public string PathOf(string messageId) => Path.Combine(Directory, messageId + Suffix);

    /// <summary>Writes the event durably; an existing file for the same message id is replaced (same content).</summary>
    public async Task<string> WriteAsync(HookEvent hookEvent, CancellationToken cancellationToken = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var final = PathOf(hookEvent.MessageId);
        var temp = Path.Combine(Directory, $".{hookEvent.MessageId}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.None))
            {
                await JsonSerializer.SerializeAsync(stream, hookEvent, HookJsonContext.Default.HookEvent, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, final, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
        SyncDirectory(Directory);
        return final;
    }

    /// <summary>The spooled events, oldest first; unreadable files are renamed <c>*.bad</c> and reported through <paramref name="onBadFile"/>.</summary>
    public async Task<IReadOnlyList<(HookEvent Event, string Path)>> ReadAllAsync(Action<string, string>? onBadFile = null, CancellationToken cancellationToken = default)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }
        var files = new DirectoryInfo(Directory).GetFiles("*" + Suffix).OrderBy(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal);
        var events = new List<(HookEvent, string)>();
        foreach (var file in files)
        {
            try
            {
                await using var stream = file.OpenRead();
                var e = await JsonSerializer.DeserializeAsync(stream, HookJsonContext.Default.HookEvent, cancellationToken).ConfigureAwait(false);
                if (e is null || e.Version != 1)
                {
                    throw new JsonException("not a version 1 hook event");
                }
                events.Add((e, file.FullName));
            }
            catch (JsonException ex)
            {
                File.Move(file.FullName, file.FullName + ".bad", overwrite: true);
                onBadFile?.Invoke(file.FullName, ex.Message);
            }
        }
        return events;
    }

    /// <summary>Removes a handled event's file (absent is fine: the socket copy and the spool copy share one file name).</summary>
    public static void Delete(string path) => File.Delete(path);

    /// <summary>fsync on the directory makes the rename itself durable; best effort where the platform refuses.</summary>
    private static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        var fd = Open(System.Text.Encoding.UTF8.GetBytes(path + "\0"), 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return;
        }
        _ = Fsync(fd);
        _ = Close(fd);
    }

    [DllImport("libc", EntryPoint = "open")]
    private static extern int Open(byte[] path, int flags);

    [DllImport("libc", EntryPoint = "fsync")]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close")]
    private static extern int Close(int fd);
}
