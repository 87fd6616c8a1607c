using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.OpenStack.Http;

/// <summary>
/// Extracts the human message from an OpenStack error body: Nova's <c>{"itemNotFound": {"message": ...}}</c>,
/// Keystone's <c>{"error": {"message": ...}}</c>, or the text of an HTML/plain error page (Glance, proxies).
/// </summary>
public static partial class ErrorBody
{
    private const int MaxLength = 300;

    public static string Message(string? body, int statusCode)
    {
        if (string.IsNullOrWhiteSpace(body)) return $"HTTP {statusCode} with an empty body";
        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                if (JToken.Parse(trimmed) is JObject obj && FromJson(obj) is { } message) return Clip(message);
            }
            catch (JsonReaderException)
            {
                // Not JSON after all: fall through to the text form.
            }
        }
        var text = Whitespace().Replace(Tags().Replace(body, " "), " ").Trim();
        return Clip(text.Length == 0 ? $"HTTP {statusCode}" : text);
    }

    private static string? FromJson(JObject obj)
    {
        if ((string?)obj["message"] is { } top) return top;
        foreach (var property in obj.Properties())
        {
            if (property.Value is JObject inner && (string?)inner["message"] is { } message)
            {
                return inner["title"] is { } title ? $"{title}: {message}" : message;
            }
        }
        return null;
    }

    private static string Clip(string text) => text.Length <= MaxLength ? text : text[..MaxLength] + "...";

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
