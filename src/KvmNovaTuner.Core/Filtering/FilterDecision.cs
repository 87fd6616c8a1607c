using KvmNovaTuner.Core.Events;

namespace KvmNovaTuner.Core.Filtering;

/// <summary>
/// Whether an event leads to action on this host, and why (every drop has a reason an operator can read in the
/// journal and logs).
/// </summary>
public sealed record FilterDecision(bool Accepted, EventTrigger? Trigger, string Reason)
{
    public static FilterDecision Accept(EventTrigger trigger, string reason) => new(true, trigger, reason);
    public static FilterDecision Drop(string reason) => new(false, null, reason);

    /// <summary>The journal status for this decision: "accepted" or "ignored".</summary>
    public string Status => Accepted ? "accepted" : "ignored";

    internal static string Describe(InstanceEvent e) => e.InstanceUuid is { } uuid ? $"{e.EventType} for {uuid}" : e.EventType;
}
