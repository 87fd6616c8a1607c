using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Filtering;
using KvmNovaTuner.Core.Pipeline;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// Which event tunes the current boot of each instance, so the libvirt hook's <c>libvirt.hook.started</c> and Nova's
/// boot notifications (<see cref="NovaBootEvents"/>) for the same boot tune it once. The first of them within
/// <see cref="Window"/> claims the boot; a later one waits for the claimant's outcome and is answered
/// <c>unchanged</c> unless that outcome was <c>failed</c> (then it tunes itself). The hook's <c>stopped</c> ends
/// the boot. In memory: after an agent restart a boot may be tuned a second time, which yields an empty plan.
/// </summary>
public sealed class BootLedger(TimeProvider time, TimeSpan window)
{
    /// <summary>Nova events that announce a boot the hook also sees (versioned names; legacy names are normalised).</summary>
    public static IReadOnlySet<string> NovaBootEvents { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "instance.create.end",
        "instance.power_on.end",
    };

    public static readonly string HookStarted = HookEventMapper.EventType("started");
    public static readonly string HookStopped = HookEventMapper.EventType("stopped");

    private readonly Lock _gate = new();
    private readonly Dictionary<string, BootClaim> _claims = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long after a claim a second source's event still counts as the same boot.</summary>
    public TimeSpan Window { get; } = window;

    /// <summary>True for the events this ledger deduplicates.</summary>
    public static bool IsBootEvent(InstanceEvent e) =>
        e.EventType == HookStarted || NovaBootEvents.Contains(RelevantEvents.Normalize(e.EventType));

    /// <summary>
    /// Claims the instance's current boot for <paramref name="e"/>. Returns null when <paramref name="e"/> now owns it
    /// (the caller must <see cref="Complete"/> it), or the earlier claim from another source.
    /// </summary>
    public BootClaim? TryClaim(InstanceEvent e, out BootClaim mine)
    {
        var uuid = e.InstanceUuid ?? "";
        var source = Source(e);
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (_claims.TryGetValue(uuid, out var existing) && now - existing.At <= Window && existing.Source != source && !IsFailed(existing))
            {
                mine = existing;
                return existing;
            }
            mine = new BootClaim(source, e.EventType, e.MessageId, now);
            _claims[uuid] = mine;
            return null;
        }
    }

    /// <summary>Records the outcome of a claim (waiters are released).</summary>
    public static void Complete(BootClaim claim, EventOutcome outcome) => claim.Done.TrySetResult(outcome);

    /// <summary>The instance's boot ended (libvirt's <c>stopped</c>): the next start is a new boot.</summary>
    public void EndBoot(string instanceUuid)
    {
        lock (_gate)
        {
            _claims.Remove(instanceUuid);
        }
    }

    /// <summary>Claims currently held (for tests and diagnostics).</summary>
    public int Count
    {
        get { lock (_gate) return _claims.Count; }
    }

    private static string Source(InstanceEvent e) => e.Format == NotificationFormat.LibvirtHook ? "libvirt-hook" : "nova";

    private static bool IsFailed(BootClaim claim) => claim.Done.Task is { IsCompletedSuccessfully: true } t && t.Result.Status == "failed";
}

/// <summary>One source's claim on one boot: who, when, and (once known) the outcome.</summary>
public sealed record BootClaim(string Source, string EventType, string MessageId, DateTimeOffset At)
{
    public TaskCompletionSource<EventOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
