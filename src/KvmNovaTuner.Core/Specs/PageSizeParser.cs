using System.Globalization;
using System.Text.RegularExpressions;

namespace KvmNovaTuner.Core.Specs;

/// <summary>
/// <c>hw:mem_page_size</c> as Nova reads it: the API validator's pattern first, then the boot-time size parser
/// (bare digits are KiB; otherwise an IEC size where <c>B</c> is bytes and <c>b</c>/<c>bit</c> is bits).
/// </summary>
public static partial class PageSizeParser
{
    /// <summary>Parses the value. <paramref name="problem"/> says why Nova would refuse it; <paramref name="rejectedByApi"/> says whether the API refuses it (else the boot does).</summary>
    public static PageSize? Parse(string value, out string? problem, out bool rejectedByApi)
    {
        problem = null;
        rejectedByApi = false;
        switch (value)
        {
            case "small": return PageSize.Small;
            case "large": return PageSize.Large;
            case "any": return PageSize.Any;
        }
        if (!ApiPattern().IsMatch(value))
        {
            problem = "is not small, large, any or a size (Nova's API rejects it; units are K, M, G, T with an optional i and B)";
            rejectedByApi = true;
            return null;
        }
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kib))
        {
            return kib > 0 ? PageSize.OfKb(kib) : Fail("is zero", out problem);
        }
        var match = IecPattern().Match(value);
        if (!match.Success)
        {
            return Fail("passes Nova's API check but fails its size parser at boot (the unit needs an uppercase prefix and a B, b or bit suffix)", out problem);
        }
        var exponent = match.Groups[2].Value.Length == 0 ? 0 : "KMGTP".IndexOf(match.Groups[2].Value[0], StringComparison.Ordinal) + 1;
        var bits = match.Groups[4].Value != "B";
        var number = decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var bytes = number * (decimal)Math.Pow(1024, exponent) / (bits ? 8 : 1);
        if (bytes % 1024 != 0 || bytes <= 0)
        {
            return Fail("is not a whole number of KiB", out problem);
        }
        return PageSize.OfKb((long)(bytes / 1024));
    }

    private static PageSize? Fail(string why, out string? problem)
    {
        problem = why;
        return null;
    }

    // Nova's API validator pattern for hw:mem_page_size.
    [GeneratedRegex(@"^(large|small|any|\d+([kKMGT]i?)?(b|bit|B)?)$")]
    private static partial Regex ApiPattern();

    // The IEC form of oslo's string_to_bytes: uppercase prefix, optional i, mandatory unit.
    [GeneratedRegex(@"^(\d+)(([KMGTP])i?)?(b|bit|B)$")]
    private static partial Regex IecPattern();
}
