namespace KvmNovaTuner.HostTuning.Filesystem;

/// <summary>
/// Every host read and write goes through a root directory: <c>/</c> on a real host, a generated tree in tests.
/// Paths are given as absolute host paths (<c>/sys/kernel/mm/ksm/run</c>) and resolved under the root.
/// </summary>
public sealed class HostRoot
{
    public HostRoot(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public static HostRoot Real { get; } = new("/");

    /// <summary>The real path of a host path under this root; refuses paths that escape the root.</summary>
    public string Resolve(string hostPath)
    {
        if (!hostPath.StartsWith('/'))
        {
            throw new ArgumentException($"host path must be absolute: '{hostPath}'", nameof(hostPath));
        }
        var full = Path.GetFullPath(Path.Join(Root, hostPath));
        var rootWithSep = Root.EndsWith('/') ? Root : Root + "/";
        if (full != Root && !full.StartsWith(rootWithSep, StringComparison.Ordinal))
        {
            throw new ArgumentException($"host path escapes the root: '{hostPath}'", nameof(hostPath));
        }
        return full;
    }

    public bool Exists(string hostPath) => File.Exists(Resolve(hostPath)) || Directory.Exists(Resolve(hostPath));

    /// <summary>The file's text without the trailing newline, or null when it does not exist.</summary>
    public async Task<string?> ReadTextAsync(string hostPath, CancellationToken cancellationToken = default)
    {
        var path = Resolve(hostPath);
        if (!File.Exists(path))
        {
            return null;
        }
        var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        return text.TrimEnd('\n');
    }

    /// <summary>Writes a value the way sysfs expects it (one write, no truncation semantics relied upon).</summary>
    public async Task WriteTextAsync(string hostPath, string value, CancellationToken cancellationToken = default)
    {
        var path = Resolve(hostPath);
        await File.WriteAllTextAsync(path, value + "\n", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Names of the entries of a directory (empty when it does not exist).</summary>
    public IReadOnlyList<string> List(string hostPath)
    {
        var path = Resolve(hostPath);
        if (!Directory.Exists(path))
        {
            return [];
        }
        return Directory.EnumerateFileSystemEntries(path).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToList();
    }
}
