using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace KvmNovaTuner.Core.Secrets;

/// <summary>
/// The one redactor of secrets in text bound for a log line, an error message or output: the password of every URL's
/// user info (<c>http://user:***@host</c>, also oslo's comma-separated hosts), values of secret-named settings, and
/// each secret a session knows (passwords, application-credential secrets, tokens).
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "***";
    private readonly ConcurrentDictionary<string, byte> _secrets = new(StringComparer.Ordinal);

    public SecretRedactor(IEnumerable<string>? initial = null)
    {
        foreach (var s in initial ?? []) Add(s);
    }

    public void Add(string? secret)
    {
        if (!string.IsNullOrEmpty(secret)) _secrets.TryAdd(secret, 0);
    }

    /// <summary>The text with every known secret and every URL password masked.</summary>
    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        // Longest first, so a secret that contains another is masked whole.
        foreach (var secret in _secrets.Keys.OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }
        return RedactUrl(text);
    }

    /// <summary>Masks the password of every URL's user info in <paramref name="text"/>.</summary>
    public static string RedactUrl(string text) => UserInfoPassword().Replace(text, m => $"{m.Groups[1].Value}{m.Groups[2].Value}:{Mask}@");

    /// <summary>True for setting names whose values must never be printed or logged.</summary>
    public static bool IsSecretKey(string key) =>
        key.Contains("password", StringComparison.OrdinalIgnoreCase)
        || key.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || key.Contains("token", StringComparison.OrdinalIgnoreCase);

    /// <summary>The value of setting <paramref name="key"/> as it may be shown.</summary>
    public static string? Redact(string key, string? value) =>
        value is null ? null
        : IsSecretKey(key) ? Mask
        : value.Contains("://", StringComparison.Ordinal) ? RedactUrl(value)
        : value;

    [GeneratedRegex(@"(://|,)([^:@/,\s]*):([^@\s/]+)@")]
    private static partial Regex UserInfoPassword();
}
