using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Ovs.Protocol;

/// <summary>The result of one operation: rows for select, count for update/mutate/delete, uuid for insert, or an error.</summary>
public sealed record OvsdbOperationResult(
    IReadOnlyList<JObject>? Rows,
    int? Count,
    string? Uuid,
    string? Error,
    string? Details)
{
    /// <summary>One entry of a transact result array (null when the operation never ran).</summary>
    public static OvsdbOperationResult Parse(JToken? token)
    {
        if (token is not JObject o)
        {
            // A null entry: the transaction stopped at an earlier error and this operation never ran.
            return new(null, null, null, null, null);
        }
        return new(
            o["rows"] is JArray rows ? [.. rows.OfType<JObject>()] : null,
            o["count"]?.Value<int>(),
            o["uuid"] is JArray uuid ? OvsdbValue.ReadUuid(uuid) : null,
            o["error"]?.Value<string>(),
            o["details"]?.Value<string>());
    }
}

/// <summary>
/// All results of one <c>transact</c>. Errors arrive inside <c>result[]</c> with a null top-level error, and an
/// update that matched nothing is a count of 0: <see cref="EnsureSuccess"/> turns both into typed exceptions.
/// </summary>
public sealed record TransactResult(IReadOnlyList<OvsdbOperation> Operations, IReadOnlyList<OvsdbOperationResult> Results)
{
    /// <summary>The first error: the failing operation's, or the commit error the server appends after the last operation.</summary>
    public OvsdbTransactionException? FirstError()
    {
        for (var i = 0; i < Results.Count; i++)
        {
            if (Results[i].Error is { } error)
            {
                var op = i < Operations.Count ? Operations[i].Op : null;
                return new OvsdbTransactionException(i, op, error, Results[i].Details);
            }
        }
        return null;
    }

    /// <summary>The first operation marked <see cref="OvsdbOperation.RequireMatch"/> whose count was 0.</summary>
    public OvsdbNoRowsMatchedException? FirstUnmatched()
    {
        for (var i = 0; i < Operations.Count && i < Results.Count; i++)
        {
            if (Operations[i].RequireMatch && Results[i].Count == 0)
            {
                return new OvsdbNoRowsMatchedException(i, Operations[i].Op, Operations[i].Table);
            }
        }
        return null;
    }

    /// <summary>Throws the first error or unmatched required operation; returns this otherwise.</summary>
    public TransactResult EnsureSuccess()
    {
        if (FirstError() is { } error)
        {
            throw error;
        }
        if (FirstUnmatched() is { } unmatched)
        {
            throw unmatched;
        }
        return this;
    }

    public IReadOnlyList<JObject> Rows(int index) => Results[index].Rows ?? [];
}
