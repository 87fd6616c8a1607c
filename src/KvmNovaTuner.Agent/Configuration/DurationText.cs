using System.Globalization;

namespace KvmNovaTuner.Agent.Configuration;

/// <summary>Parses durations written as seconds (<c>30</c>, <c>30s</c>), minutes (<c>5m</c>) or hours (<c>1h</c>).</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var t = text.Trim().ToLowerInvariant();
        var unit = t.Length > 0 && char.IsLetter(t[^1]) ? t[^1] : 's';
        var number = char.IsLetter(t.Length > 0 ? t[^1] : '0') ? t[..^1] : t;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0 || n > 1e7)
        {
            return false;
        }
        double? seconds = unit switch { 's' => n, 'm' => n * 60, 'h' => n * 3600, _ => null };
        if (seconds is null) return false;
        value = TimeSpan.FromSeconds(seconds.Value);
        return true;
    }

    public static string Format(TimeSpan value) => $"{value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}s";
}
