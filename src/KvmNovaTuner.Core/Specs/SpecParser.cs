using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Core.Specs;

/// <summary>
/// Parses and validates a flavor's extra specs into a <see cref="TuningSpec"/> plus diagnostics that name the key,
/// the value, the rule and the fix. Nova's rules for <c>hw:</c>/<c>quota:</c>, the tuner's for <c>tuner:</c>.
/// </summary>
public static class SpecParser
{
    public static SpecParseResult Parse(IReadOnlyDictionary<string, string>? extraSpecs, int? vcpus = null, int? memoryMb = null)
    {
        var reader = new SpecReader(extraSpecs ?? new Dictionary<string, string>());
        var spec = TuningSpec.Empty with { Vcpus = vcpus, MemoryMb = memoryMb };
        spec = CpuSpecs.Read(reader, spec);
        spec = MemorySpecs.Read(reader, spec);
        spec = QuotaSpecs.Read(reader, spec);
        spec = TunerSpecs.Read(reader, spec);
        CheckUnknownKeys(reader);
        return new SpecParseResult(spec, reader.Diagnostics);
    }

    private static void CheckUnknownKeys(SpecReader reader)
    {
        foreach (var key in reader.All.Keys.Where(k => !reader.WasRead(k)).Order(StringComparer.Ordinal))
        {
            var value = reader.All[key];
            if (key.StartsWith("tuner:", StringComparison.Ordinal))
            {
                reader.Error(key, value, "is not a tuner key", $"use one of the documented keys{Closest(key, TunerSpecs.Keys)}");
            }
            else if (key.StartsWith("quota:", StringComparison.Ordinal))
            {
                reader.Error(key, value, "is not a quota key Nova registers (its API rejects it)", $"check the spelling{Closest(key, QuotaSpecs.Keys)}");
            }
            else if (key.StartsWith("hw:", StringComparison.Ordinal) && !SpecKeys.OtherHwKeys.Contains(key))
            {
                reader.Warning(key, value, "is not an hw: key the tuner knows; Nova's API may reject it", "check the spelling against Nova's extra spec reference");
            }
        }
    }

    private static string Closest(string key, IEnumerable<string> known)
    {
        var best = known.MinBy(k => Distance(k, key));
        return best is not null && Distance(best, key) <= 3 ? $" (did you mean {best}?)" : string.Empty;
    }

    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }
}

/// <summary>A parsed spec and the findings about it; valid when no finding is an error.</summary>
public sealed record SpecParseResult(TuningSpec Spec, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool IsValid => Diagnostics.All(d => d.Severity != DiagnosticSeverity.Error);
}
