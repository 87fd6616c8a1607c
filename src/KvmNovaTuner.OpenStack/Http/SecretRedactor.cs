using System.Collections.Concurrent;

namespace KvmNovaTuner.OpenStack.Http;

/// <summary>
/// Knows every secret a session handles (passwords, application-credential secrets, tokens) and replaces
/// them in any text bound for a log line or an exception message.
/// </summary>
public sealed class SecretRedactor
{
    public const string Mask = "***";
    private readonly ConcurrentDictionary<string, byte> secrets = new(StringComparer.Ordinal);

    public SecretRedactor(IEnumerable<string>? initial = null)
    {
        foreach (var s in initial ?? []) Add(s);
    }

    public void Add(string? secret)
    {
        if (!string.IsNullOrEmpty(secret)) secrets.TryAdd(secret, 0);
    }

    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        // Longest first, so a secret that contains another is masked whole.
        foreach (var secret in secrets.Keys.OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }
        return text;
    }
}
