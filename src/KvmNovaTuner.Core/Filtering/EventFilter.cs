using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Recovery;

namespace KvmNovaTuner.Core.Filtering;

/// <summary>
/// The filter step for one compute host: keeps this host's instance events that change what should be applied
/// (<see cref="RelevantEvents"/>, plus <c>instance.update</c> into the error state) and drops the rest with a reason.
/// Duplicates are dropped later, by message id, in the intake's durable store.
/// </summary>
public sealed class EventFilter(HostName localHost)
{
    public HostName LocalHost { get; } = localHost.Value is null ? throw new ArgumentException("the local host name is required", nameof(localHost)) : localHost;

    public FilterDecision Evaluate(InstanceEvent e)
    {
        var what = FilterDecision.Describe(e);
        if (e.InstanceUuid is null)
        {
            return FilterDecision.Drop($"{what}: not about an instance" + (e.EventType.StartsWith("flavor.", StringComparison.Ordinal) ? " (a flavor change reaches running instances only through a resize)" : ""));
        }
        if (e.Host is null)
        {
            return FilterDecision.Drop($"{what}: names no host (payload host empty and the publisher is not nova-compute)");
        }
        if (!LocalHost.Is(e.Host))
        {
            return FilterDecision.Drop($"{what}: for host {e.Host}, not {LocalHost}");
        }
        var name = RelevantEvents.Normalize(e.EventType);
        if (RelevantEvents.Table.TryGetValue(name, out var entry))
        {
            return FilterDecision.Accept(entry.Trigger, $"{what}: {entry.Why}");
        }
        if (name == "instance.update")
        {
            return IsNewError(e)
                ? FilterDecision.Accept(EventTrigger.Failed, $"{what}: the instance went from {e.OldState ?? "unknown"} to error")
                : FilterDecision.Drop($"{what}: a state update that is not a change into error ({e.OldState ?? "?"} -> {e.State ?? "?"}, task {e.TaskState ?? "none"})");
        }
        return FilterDecision.Drop($"{what}: does not change what should be applied");
    }

    private static bool IsNewError(InstanceEvent e) => InstanceErrorState.IsError(e.State) && !InstanceErrorState.IsError(e.OldState);
}
