namespace KvmNovaTuner.Core.HostProfile;

/// <summary>
/// A sysfs multiple-choice value such as <c>always [madvise] never</c>: the bracket marks the current value.
/// A file written by a test (or a kernel that shows only one word) holds just the value.
/// </summary>
public sealed record SysfsChoice(string? Current, IReadOnlyList<string> Options)
{
    /// <summary>Parses the text of a choice file; null or blank text gives no current value and no options.</summary>
    public static SysfsChoice Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new SysfsChoice(null, []);
        }
        string? current = null;
        var options = new List<string>();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.Length > 2 && word[0] == '[' && word[^1] == ']')
            {
                current = word[1..^1];
                options.Add(current);
            }
            else
            {
                options.Add(word);
            }
        }
        if (current is null && options.Count == 1)
        {
            current = options[0];
        }
        return new SysfsChoice(current, options);
    }

    /// <summary>True when the kernel offers <paramref name="option"/> (or the offer is unknown).</summary>
    public bool Offers(string option) => Options.Count <= 1 || Options.Contains(option, StringComparer.Ordinal);
}
