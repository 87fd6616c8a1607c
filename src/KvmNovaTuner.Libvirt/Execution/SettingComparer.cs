using System.Globalization;

namespace KvmNovaTuner.Libvirt.Execution;

/// <summary>Whether a wanted setting value and one read back mean the same: cpusets by CPUs, numbers by value.</summary>
internal static class SettingComparer
{
    public static bool Same(string key, string wanted, string actual)
    {
        if (key == "cpuset")
        {
            try
            {
                return CpuSet.Parse(wanted).Equals(CpuSet.Parse(actual));
            }
            catch (FormatException)
            {
                return false;
            }
        }
        if (decimal.TryParse(wanted, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) &&
            decimal.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var a))
        {
            return w == a;
        }
        return string.Equals(wanted, actual, StringComparison.Ordinal);
    }

    /// <summary>The settings whose actual value differs from the wanted one.</summary>
    public static Dictionary<string, string> Differences(IReadOnlyDictionary<string, string> wanted, IReadOnlyDictionary<string, string> actual) =>
        wanted.Where(w => !Same(w.Key, w.Value, actual.GetValueOrDefault(w.Key, "")))
            .ToDictionary(w => w.Key, w => w.Value, StringComparer.Ordinal);

    public static string Describe(IReadOnlyDictionary<string, string> wanted, IReadOnlyDictionary<string, string> actual) =>
        string.Join(", ", wanted.Select(w => $"{w.Key} {Show(actual.GetValueOrDefault(w.Key, ""))} -> {Show(w.Value)}"));

    private static string Show(string value) => value.Length == 0 ? "(none)" : value;
}
