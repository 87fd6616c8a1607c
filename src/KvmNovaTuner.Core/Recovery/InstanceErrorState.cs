using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Filtering;

namespace KvmNovaTuner.Core.Recovery;

/// <summary>
/// Recognises the event that says an instance went into the error state (<c>instance.update</c>, versioned or legacy,
/// with state <c>error</c>). Such an event is not a tuning failure and asks for no tuning: it may start an
/// automatic recovery (<see cref="AutoRecoveryPolicy"/>).
/// </summary>
public static class InstanceErrorState
{
    /// <summary>Why the error event is not tuned (the journal detail and the plan's diagnostic).</summary>
    public const string NotTuned = "the instance is in error: nothing is tuned (its rebuild, reboot or reset re-applies the flavor)";

    public static bool IsErrorUpdate(InstanceEvent instanceEvent)
    {
        ArgumentNullException.ThrowIfNull(instanceEvent);
        return RelevantEvents.Normalize(instanceEvent.EventType) == "instance.update" && IsError(instanceEvent.State);
    }

    /// <summary>Whether a Nova vm_state is the error state (the filter keeps an update into it; recovery acts on it).</summary>
    public static bool IsError(string? vmState) => string.Equals(vmState, "error", StringComparison.OrdinalIgnoreCase);
}
