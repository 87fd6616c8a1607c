using System.Text.Json;

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
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
            _ => throw new PayloadShapeException($"field '{name}' is a {Kind(v)}, expected a string"),
        };
    }

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
                JsonValueKind.String => p.Value.GetString()!,
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
