using System.Globalization;
using System.Text;

namespace KvmNovaTuner.Core.Text;

/// <summary>
/// Makes untrusted text safe to print on one terminal line: control characters (C0, DEL, C1), bidirectional
/// overrides, line and paragraph separators and lone surrogates become <c>\uXXXX</c>, and long text is cut
/// with the count of what was left out. Every error and line that shows input passes through here.
/// </summary>
public static class Printable
{
    /// <summary>The longest error line the product prints about one input.</summary>
    public const int MaxLine = 300;

    /// <summary>The escaped text, at most <paramref name="max"/> characters of it (then "…(+N)").</summary>
    public static string Escape(string? text, int max = 80)
    {
        if (text is null)
        {
            return "";
        }
        var builder = new StringBuilder(Math.Min(text.Length, max) + 8);
        for (var i = 0; i < text.Length; i++)
        {
            if (builder.Length >= max)
            {
                builder.Append("…(+").Append((text.Length - i).ToString(CultureInfo.InvariantCulture)).Append(" chars)");
                break;
            }
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (NeedsEscape(c))
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>The text quoted and escaped, e.g. <c>'not-a-uuid; rm -rf /'</c>.</summary>
    public static string Quote(string? text, int max = 80) => "'" + Escape(text, max) + "'";

    /// <summary>One line: escaped, cut at <see cref="MaxLine"/>.</summary>
    public static string Line(string text) => Escape(text, MaxLine);

    private static bool NeedsEscape(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or (>= '\u202a' and <= '\u202e') or (>= '\u2066' and <= '\u2069') or '\u200e' or '\u200f';
}
