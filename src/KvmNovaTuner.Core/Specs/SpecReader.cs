using System.Globalization;
using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Core.Specs;

/// <summary>
/// Reads typed values out of an extra-spec dictionary and records a diagnostic (key, value, rule, fix) for every
/// value that breaks its rule. Every key read is remembered so the parser can name the keys nobody understood.
/// </summary>
internal sealed class SpecReader(IReadOnlyDictionary<string, string> specs)
{
    private static readonly string[] TrueWords = ["1", "t", "true", "on", "y", "yes"];
    private static readonly string[] FalseWords = ["0", "f", "false", "off", "n", "no"];

    private readonly List<Diagnostic> _diagnostics = [];
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    public IReadOnlyDictionary<string, string> All => specs;

    public bool WasRead(string key) => _read.Contains(key);

    public bool Has(string key) => specs.ContainsKey(key);

    /// <summary>The raw value (trimmed), marking the key as understood.</summary>
    public string? Raw(string key)
    {
        _read.Add(key);
        return specs.TryGetValue(key, out var value) ? value.Trim() : null;
    }

    public bool? Bool(string key)
    {
        var value = Raw(key);
        if (value is null)
        {
            return null;
        }
        if (ParseBoolean(value) is { } parsed)
        {
            return parsed;
        }
        Error(key, value, "is not a boolean", "use one of 1/t/true/on/y/yes or 0/f/false/off/n/no");
        return null;
    }

    /// <summary>Nova's boolean words (1/t/true/on/y/yes, 0/f/false/off/n/no, any case), or null for anything else.</summary>
    public static bool? ParseBoolean(string? value)
    {
        var lower = value?.Trim().ToLowerInvariant();
        return lower is null ? null : TrueWords.Contains(lower) ? true : FalseWords.Contains(lower) ? false : null;
    }

    public long? Long(string key, long min, long max, string? unit = null)
    {
        var value = Raw(key);
        if (value is null)
        {
            return null;
        }
        var suffix = unit is null ? string.Empty : " " + unit;
        if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            Error(key, value, "is not an integer", $"give a whole number from {min} to {max}{suffix}");
            return null;
        }
        if (number < min || number > max)
        {
            Error(key, value, $"is outside {min}..{max}", $"give a whole number from {min} to {max}{suffix}");
            return null;
        }
        return number;
    }

    public int? Int(string key, int min, int max, string? unit = null) => (int?)Long(key, min, max, unit);

    /// <summary>One of a fixed set of words (case-insensitive); returns the canonical lower-case word.</summary>
    public string? Word(string key, IReadOnlyList<string> allowed)
    {
        var value = Raw(key);
        if (value is null)
        {
            return null;
        }
        var match = allowed.FirstOrDefault(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Error(key, value, $"is not one of {string.Join(", ", allowed)}", $"use one of {string.Join(", ", allowed)}");
        }
        return match;
    }

    public void Error(string key, string? value, string rule, string? fix) => Add(DiagnosticSeverity.Error, key, value, rule, fix);

    public void Warning(string key, string? value, string rule, string? fix) => Add(DiagnosticSeverity.Warning, key, value, rule, fix);

    public void Info(string key, string? value, string rule, string? fix) => Add(DiagnosticSeverity.Info, key, value, rule, fix);

    private void Add(DiagnosticSeverity severity, string key, string? value, string rule, string? fix) =>
        _diagnostics.Add(SpecDiagnostic.Create(severity, key, value, rule, fix));
}
