using System.Text;
using System.Text.RegularExpressions;

namespace KvmNovaTuner.OpenStack.Reporting;

/// <summary>
/// Keeps metadata within Nova's limits: keys 1-255 characters of <c>[a-zA-Z0-9-_:. ]</c>; values at most
/// 255 characters. Values are reduced to printable ASCII (control characters and anything else become a
/// space or '?') and clipped with "..." so a summary never makes Nova answer 400.
/// </summary>
public static partial class MetadataText
{
    public const int MaxLength = 255;

    public static bool IsValidKey(string key) => key.Length is >= 1 and <= MaxLength && KeyPattern().IsMatch(key);

    public static string Value(string? text)
    {
        var builder = new StringBuilder(Math.Min(text?.Length ?? 0, MaxLength + 8));
        foreach (var c in text ?? "")
        {
            builder.Append(c switch
            {
                >= ' ' and <= '~' => c,
                '\n' or '\r' or '\t' => ' ',
                _ => '?',
            });
        }
        var value = MultipleSpaces().Replace(builder.ToString(), " ").Trim();
        return value.Length <= MaxLength ? value : value[..(MaxLength - 3)] + "...";
    }

    [GeneratedRegex("^[a-zA-Z0-9-_:. ]+$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(" {2,}")]
    private static partial Regex MultipleSpaces();
}
