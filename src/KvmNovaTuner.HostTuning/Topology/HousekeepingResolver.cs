using KvmNovaTuner.Core.Topology;
using KvmNovaTuner.HostTuning.Filesystem;

namespace KvmNovaTuner.HostTuning.Topology;

/// <summary>Decides the housekeeping CPUs of a host from <see cref="HousekeepingOptions"/>.</summary>
internal sealed class HousekeepingResolver(HostRoot root)
{
    public async Task<IReadOnlySet<int>> ResolveAsync(IReadOnlySet<int> hostCpus, HousekeepingOptions options, CancellationToken cancellationToken)
    {
        if (options.HousekeepingCpus is { } explicitList)
        {
            var set = CpuList.Parse(explicitList) ?? throw new HostTopologyException("housekeeping_cpus", $"'{explicitList}' is not a CPU list");
            return set.Where(hostCpus.Contains).ToHashSet();
        }
        var dedicatedText = options.CpuDedicatedSet ?? await ReadDedicatedSetAsync(options.NovaConfPath, cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrWhiteSpace(dedicatedText))
        {
            return hostCpus.ToHashSet();
        }
        var dedicated = CpuList.ParseMask(dedicatedText, hostCpus)
            ?? throw new HostTopologyException(options.NovaConfPath, $"[compute] cpu_dedicated_set '{dedicatedText}' is not a CPU list");
        return hostCpus.Where(c => !dedicated.Contains(c)).ToHashSet();
    }

    private async Task<string?> ReadDedicatedSetAsync(string novaConf, CancellationToken cancellationToken)
    {
        var text = await root.ReadTextAsync(novaConf, cancellationToken).ConfigureAwait(false);
        return text is null ? null : IniValue(text, "compute", "cpu_dedicated_set");
    }

    /// <summary>The last value of <paramref name="key"/> in <paramref name="section"/> of an oslo.config INI file.</summary>
    internal static string? IniValue(string text, string section, string key)
    {
        string? current = null;
        string? value = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            if (line[0] == '[' && line.EndsWith(']'))
            {
                current = line[1..^1].Trim();
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && string.Equals(current, section, StringComparison.OrdinalIgnoreCase) && line[..eq].Trim() == key)
            {
                value = line[(eq + 1)..].Trim();
            }
        }
        return value;
    }
}
