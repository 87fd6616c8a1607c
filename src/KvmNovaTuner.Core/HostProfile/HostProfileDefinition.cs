namespace KvmNovaTuner.Core.HostProfile;

/// <summary>
/// One profile file as written (TuneD-style INI): <c>[main]</c> with <c>summary</c> and <c>include</c>, and sections of
/// settings keyed <c>section.key</c> (<c>ksm.run</c>, <c>vm.transparent_hugepages</c>, <c>sysctl.vm.swappiness</c>).
/// </summary>
public sealed record HostProfileDefinition(string Name, string? Summary, string? Include, IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>Parses profile text; a line that is not a section, a comment or <c>key=value</c> is an error naming the line.</summary>
    public static HostProfileDefinition Parse(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        string? section = null;
        string? summary = null;
        string? include = null;
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1].Trim();
                continue;
            }
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || section is null)
            {
                throw new FormatException($"profile '{name}' line {lineNumber}: expected [section] or key=value, got '{line}'");
            }
            var key = line[..eq].Trim();
            var value = line[(eq + 1)..].Trim();
            switch (section, key)
            {
                case ("main", "summary"):
                    summary = value;
                    break;
                case ("main", "include"):
                    include = value.Length == 0 ? null : value;
                    break;
                default:
                    settings[$"{section}.{key}"] = value;
                    break;
            }
        }
        return new HostProfileDefinition(name, summary, include, settings);
    }
}
