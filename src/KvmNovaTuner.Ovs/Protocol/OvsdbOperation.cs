using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Ovs.Protocol;

/// <summary>One operation of a <c>transact</c> (RFC 7047 §5.2), with its kind and table kept for error reports.</summary>
public sealed record OvsdbOperation(string Op, string Table, JObject Json)
{
    /// <summary>True when a count of 0 must surface as <see cref="OvsdbNoRowsMatchedException"/>.</summary>
    public bool RequireMatch { get; init; }

    public static OvsdbOperation Select(string table, JArray where, params string[] columns)
    {
        var json = Base("select", table, where);
        if (columns.Length > 0)
        {
            json["columns"] = new JArray(columns);
        }
        return new("select", table, json);
    }

    public static OvsdbOperation Insert(string table, JObject row, string? uuidName = null)
    {
        var json = new JObject { ["op"] = "insert", ["table"] = table, ["row"] = row };
        if (uuidName is not null)
        {
            json["uuid-name"] = uuidName;
        }
        return new("insert", table, json);
    }

    public static OvsdbOperation Update(string table, JArray where, JObject row)
    {
        var json = Base("update", table, where);
        json["row"] = row;
        return new("update", table, json) { RequireMatch = true };
    }

    /// <summary>Mutations are <c>[column, mutator, value]</c> triples, applied in order.</summary>
    public static OvsdbOperation Mutate(string table, JArray where, params JArray[] mutations)
    {
        var json = Base("mutate", table, where);
        json["mutations"] = new JArray(mutations);
        return new("mutate", table, json) { RequireMatch = true };
    }

    public static OvsdbOperation Delete(string table, JArray where) => new("delete", table, Base("delete", table, where));

    /// <summary>Fails the whole transaction unless the selected columns of the matching rows equal <paramref name="rows"/> (timeout 0: check now).</summary>
    public static OvsdbOperation Wait(string table, JArray where, IReadOnlyList<string> columns, JArray rows)
    {
        var json = Base("wait", table, where);
        json["timeout"] = 0;
        json["columns"] = new JArray(columns);
        json["until"] = "==";
        json["rows"] = rows;
        return new("wait", table, json);
    }

    /// <summary>Does not fail on no match (e.g. best-effort cleanup).</summary>
    public OvsdbOperation Optional() => this with { RequireMatch = false };

    private static JObject Base(string op, string table, JArray where) => new() { ["op"] = op, ["table"] = table, ["where"] = where };
}

/// <summary>Builders for <c>where</c> clauses.</summary>
public static class OvsdbWhere
{
    public static JArray All() => [];

    public static JArray Uuid(string uuid) => Condition("_uuid", "==", OvsdbValue.Uuid(uuid));

    public static JArray Equal(string column, JToken value) => Condition(column, "==", value);

    /// <summary>Rows whose map column contains the given pair.</summary>
    public static JArray Includes(string column, string key, string value) =>
        Condition(column, "includes", OvsdbValue.Map([new KeyValuePair<string, string>(key, value)]));

    // A one-condition clause; the cast keeps JArray's copy constructor from flattening the condition.
    private static JArray Condition(string column, string function, JToken value) => new((object)new JArray(column, function, value));
}
