using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Protocol;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Ovs.Qos;

/// <summary>
/// One port's atomic change: the operations of a single transaction (guards first, then writes) and the
/// result each action gets if it commits. No operations means nothing to write.
/// </summary>
public sealed record PortChange(IReadOnlyList<OvsdbOperation> Operations, IReadOnlyList<ActionResult> Results)
{
    public bool HasWrites => Operations.Any(o => o.Op != "wait");

    /// <summary>The results when the transaction failed: every action that would have applied becomes failed.</summary>
    public IReadOnlyList<ActionResult> FailedWith(string message) =>
        [.. Results.Select(r => r.Status == ActionStatus.Applied ? r with { Status = ActionStatus.Failed, After = r.Before, Message = message } : r)];

    /// <summary>The results of a dry run: what would be applied is reported as skipped, naming the change.</summary>
    public IReadOnlyList<ActionResult> AsDryRun() =>
        [.. Results.Select(r => r.Status == ActionStatus.Applied ? r with { Status = ActionStatus.Skipped, Message = "dry run: would change" } : r)];
}

/// <summary>Guards and row encodings shared by the change builders.</summary>
internal static class PortChangeOps
{
    public static OvsdbOperation WaitUnchanged(string table, string uuid, JObject raw, IReadOnlyList<string> columns)
    {
        var row = new JObject();
        foreach (var column in columns)
        {
            row[column] = raw[column]?.DeepClone();
        }
        return OvsdbOperation.Wait(table, OvsdbWhere.Uuid(uuid), columns, [row]);
    }

    public static JArray Map(IReadOnlyDictionary<string, string> values) => OvsdbValue.Map(values);

    public static bool SameMap(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string>? b) =>
        b is not null && a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);

    public static bool MarkedFor(IReadOnlyDictionary<string, string> externalIds, string instanceUuid) =>
        OvsOwnership.IsTunerMarked(externalIds) && externalIds.GetValueOrDefault(OvsOwnership.InstanceKey) == instanceUuid;

    public static string Conflict(string what, string port, string owner) =>
        $"conflict: {what} on {port} is owned by {owner}; left untouched (set tuner_owns_bandwidth on this host to take it over)";
}
