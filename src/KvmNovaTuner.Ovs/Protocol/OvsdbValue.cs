using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Ovs.Protocol;

/// <summary>Encodes and decodes OVSDB's JSON value notation (RFC 7047 §5.1): uuids, sets and maps.</summary>
public static class OvsdbValue
{
    public static JArray Uuid(string uuid) => new("uuid", uuid);

    public static JArray NamedUuid(string name) => new("named-uuid", name);

    public static JArray EmptySet() => new("set", new JArray());

    public static JArray Set(IEnumerable<JToken> atoms) => new("set", new JArray(atoms));

    public static JArray Map(IEnumerable<KeyValuePair<string, string>> pairs) =>
        new("map", new JArray(pairs.Select(p => new JArray(p.Key, p.Value))));

    public static JArray Map(IEnumerable<KeyValuePair<long, JToken>> pairs) =>
        new("map", new JArray(pairs.Select(p => new JArray(p.Key, p.Value))));

    /// <summary>A string→string map column (external_ids, other_config); empty when absent.</summary>
    public static Dictionary<string, string> ReadStringMap(JToken? value)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in MapPairs(value))
        {
            result[pair[0]!.ToString()] = pair[1]!.ToString();
        }
        return result;
    }

    /// <summary>An integer→uuid map column (QoS.queues).</summary>
    public static Dictionary<long, string> ReadUuidMap(JToken? value)
    {
        var result = new Dictionary<long, string>();
        foreach (var pair in MapPairs(value))
        {
            result[pair[0]!.Value<long>()] = ReadUuid(pair[1]) ?? "";
        }
        return result;
    }

    /// <summary>A uuid atom, or the single member of a 0..1 set; null when empty.</summary>
    public static string? ReadUuid(JToken? value) => ReadUuidSet(value).FirstOrDefault();

    /// <summary>The members of a uuid set (a bare uuid atom is a set of one).</summary>
    public static IReadOnlyList<string> ReadUuidSet(JToken? value)
    {
        if (value is not JArray { Count: 2 } array)
        {
            return [];
        }
        return array[0]!.ToString() switch
        {
            "uuid" => [array[1]!.ToString()],
            "set" => [.. ((JArray)array[1]!).OfType<JArray>().Where(a => a.Count == 2 && a[0]!.ToString() == "uuid").Select(a => a[1]!.ToString())],
            _ => [],
        };
    }

    /// <summary>An integer column or a 0..1 integer set; 0 when empty.</summary>
    public static long ReadInteger(JToken? value) => value switch
    {
        JValue { Type: JTokenType.Integer } v => v.Value<long>(),
        JArray { Count: 2 } a when a[0]!.ToString() == "set" && a[1] is JArray { Count: 1 } s => s[0]!.Value<long>(),
        _ => 0,
    };

    /// <summary>A string column or a 0..1 string set; null when empty.</summary>
    public static string? ReadString(JToken? value) => value switch
    {
        JValue { Type: JTokenType.String } v => v.Value<string>(),
        JArray { Count: 2 } a when a[0]!.ToString() == "set" && a[1] is JArray { Count: 1 } s => s[0]!.ToString(),
        _ => null,
    };

    private static IEnumerable<JArray> MapPairs(JToken? value) =>
        value is JArray { Count: 2 } array && array[0]!.ToString() == "map" && array[1] is JArray pairs
            ? pairs.OfType<JArray>().Where(p => p.Count == 2)
            : [];
}
