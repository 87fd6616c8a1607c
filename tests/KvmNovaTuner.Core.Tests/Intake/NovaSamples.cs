namespace KvmNovaTuner.Core.Tests.Intake;

/// <summary>
/// Finds Nova's notification samples: the repository copy of <c>all.jsonl</c> (found by walking up from the
/// test assembly) and, when present, the shared sample directory (<c>KNT_NOVA_SAMPLES_DIR</c>, default
/// /work/shared/data/nova-notifications) with <c>wire/*.json</c> and the pretty-printed messages.
/// </summary>
public static class NovaSamples
{
    private const string SharedDefault = "/work/shared/data/nova-notifications";

    public static string AllJsonl
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "data", "nova-notifications", "all.jsonl");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new FileNotFoundException("tests/data/nova-notifications/all.jsonl not found above " + AppContext.BaseDirectory);
        }
    }

    public static string[] AllLines => File.ReadAllLines(AllJsonl).Where(l => l.Length > 0).ToArray();

    /// <summary>The shared sample directory, or null when this machine has none.</summary>
    public static string? SharedDirectory
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("KNT_NOVA_SAMPLES_DIR") ?? SharedDefault;
            return Directory.Exists(Path.Combine(dir, "wire")) ? dir : null;
        }
    }

    /// <summary>Stands in for the shared files on a machine without them (the test ignores itself with the reason).</summary>
    public const string Absent = "(shared sample directory absent)";

    public static IEnumerable<string> WireFiles() =>
        SharedDirectory is { } d ? Directory.GetFiles(Path.Combine(d, "wire"), "*.json").Order(StringComparer.Ordinal) : [Absent];

    public static IEnumerable<string> PrettyFiles() =>
        SharedDirectory is { } d ? Directory.GetFiles(d, "*.json").Order(StringComparer.Ordinal) : [Absent];

    public static void IgnoreIfAbsent(string path)
    {
        if (path == Absent)
        {
            Assert.Ignore($"no shared samples here (set KNT_NOVA_SAMPLES_DIR); {AllJsonl} covers the same messages");
        }
    }

    /// <summary>The wire line whose event type and (optionally) file-derived content match, from the repo copy.</summary>
    public static string Line(string eventType, int occurrence = 0) =>
        AllLines.Where(l => l.Contains($"\\\"event_type\\\": \\\"{eventType}\\\"", StringComparison.Ordinal)).ElementAt(occurrence);
}
