using System.Text.Json;
using KvmNovaTuner.Core.Text;

namespace KvmNovaTuner.Core.Decoding;

/// <summary>Typed, lenient reads of optional fields: absent or null is null; a wrong type is a shape error.</summary>
internal static class JsonFields
{
    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static string? String(JsonElement obj, string name)
    {
        if (Get(obj, name) is not { } v)
        {
            return null;
        }
        return v.ValueKind switch
        {
            JsonValueKind.String => Text(v, name),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => throw new PayloadShapeException($"field '{name}' is a {Kind(v)}, expected a string"),
        };
    }

    /// <summary>A field that must be a JSON string when present (identities: event type, ids, uuids).</summary>
    public static string? StrictString(JsonElement obj, string name) => Get(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => Text(v, name),
        { } v => throw new PayloadShapeException($"field '{name}' is a {Kind(v)}, expected a string"),
    };

    /// <summary>A field that must hold a uuid (8-4-4-4-12 hex digits) when present.</summary>
    public static string? Uuid(JsonElement obj, string name)
    {
        var text = StrictString(obj, name);
        if (text is not null && !Guid.TryParseExact(text, "D", out _))
        {
            throw new PayloadShapeException($"field '{name}' is not a uuid: {Printable.Quote(text, 40)}");
        }
        return text;
    }

    public static bool TryText(JsonElement v, out string? text)
    {
        try
        {
            text = v.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            text = null;
            return false;
        }
    }

    // A string escape that is not UTF-16 text (a lone surrogate) makes GetString throw: a shape error naming the field.
    private static string Text(JsonElement v, string name) =>
        TryText(v, out var text) ? text! : throw new PayloadShapeException($"field '{name}' holds an escape that is not text (a lone surrogate)");

    public static int? Int(JsonElement obj, string name)
    {
        if (Get(obj, name) is not { } v)
        {
            return null;
        }
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i))
        {
            return i;
        }
        if (v.ValueKind == JsonValueKind.String && int.TryParse(v.GetString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var s))
        {
            return s;
        }
        throw new PayloadShapeException($"field '{name}' is a {Kind(v)}, expected an integer");
    }

    public static JsonElement? Object(JsonElement obj, string name)
    {
        if (Get(obj, name) is not { } v)
        {
            return null;
        }
        return v.ValueKind == JsonValueKind.Object ? v : throw new PayloadShapeException($"field '{name}' is a {Kind(v)}, expected an object");
    }

    public static IEnumerable<JsonElement> Array(JsonElement obj, string name)
    {
        if (Get(obj, name) is not { } v)
        {
            return [];
        }
        return v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : throw new PayloadShapeException($"field '{name}' is a {Kind(v)}, expected an array");
    }

    /// <summary>A string-to-string map such as extra_specs; null when absent or null.</summary>
    public static IReadOnlyDictionary<string, string>? StringMap(JsonElement obj, string name)
    {
        if (Object(obj, name) is not { } map)
        {
            return null;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in map.EnumerateObject())
        {
            result[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => Text(p.Value, $"{name}.{p.Name}"),
                JsonValueKind.Null => "",
                JsonValueKind.Object or JsonValueKind.Array => throw new PayloadShapeException($"'{name}.{p.Name}' is a {Kind(p.Value)}, expected a string"),
                _ => p.Value.GetRawText(),
            };
        }
        return result;
    }

    public static string Kind(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };
}
