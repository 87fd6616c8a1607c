namespace KvmNovaTuner.Agent.Demo;

/// <summary>A small line diff of two domain XML texts: lines added (+) and removed (-), ignoring Nova's metadata block.</summary>
public static class XmlLineDiff
{
    public static IReadOnlyList<string> Changes(string? before, string? after)
    {
        var a = Lines(before);
        var b = Lines(after);
        var removed = a.Except(b).Select(l => "- " + l);
        var added = b.Except(a).Select(l => "+ " + l);
        return [.. removed, .. added];
    }

    private static List<string> Lines(string? xml)
    {
        var result = new List<string>();
        var inMetadata = false;
        foreach (var raw in (xml ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("<metadata", StringComparison.Ordinal)) inMetadata = true;
            if (!inMetadata && line.Length > 0) result.Add(line);
            if (line.StartsWith("</metadata", StringComparison.Ordinal)) inMetadata = false;
        }
        return result;
    }
}
