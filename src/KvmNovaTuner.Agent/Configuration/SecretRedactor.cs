using System.Text.RegularExpressions;

namespace KvmNovaTuner.Agent.Configuration;

/// <summary>Hides secrets in values before they are printed or logged.</summary>
public static partial class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>Masks every password in a URL's user info (<c>amqp://user:***@host</c>, also oslo's comma-separated hosts).</summary>
    public static string RedactUrl(string url) => UserInfoPassword().Replace(url, m => $"{m.Groups[1].Value}{m.Groups[2].Value}:{Mask}@");

    /// <summary>The value as it may be shown for <paramref name="key"/>.</summary>
    public static string? Redact(string key, string? value) =>
        value is null ? null
        : SettingCatalog.IsSecretKey(key) ? Mask
        : value.Contains("://", StringComparison.Ordinal) ? RedactUrl(value)
        : value;

    [GeneratedRegex(@"(://|,)([^:@/,\s]*):([^@\s]+)@")]
    private static partial Regex UserInfoPassword();
}
