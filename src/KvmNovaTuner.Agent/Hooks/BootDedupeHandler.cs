using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// Wraps the pipeline's handler so that one boot is tuned once whichever source reports it first (see
/// <see cref="BootLedger"/>). Both the hook listener and the Nova intake must hand their events through the same
/// instance (sharing one ledger). Events that are not boots pass straight through.
/// </summary>
public sealed class BootDedupeHandler(IInstanceEventHandler inner, BootLedger ledger) : IInstanceEventHandler
{
    public async Task<EventOutcome> HandleAsync(InstanceEvent instanceEvent, CancellationToken cancellationToken = default)
    {
        if (instanceEvent.EventType == BootLedger.HookStopped && instanceEvent.InstanceUuid is { } stopped)
        {
            ledger.EndBoot(stopped);
            return new EventOutcome("ignored", "the domain stopped: its next start is a new boot");
        }
        if (!BootLedger.IsBootEvent(instanceEvent) || instanceEvent.InstanceUuid is null)
        {
            return await inner.HandleAsync(instanceEvent, cancellationToken).ConfigureAwait(false);
        }
        BootClaim mine;
        while (ledger.TryClaim(instanceEvent, out mine) is { } earlier)
        {
            var outcome = await earlier.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (outcome.Status != "failed")
            {
                return new EventOutcome("unchanged", $"{AlreadyTuned} {earlier.EventType} ({earlier.MessageId}): {outcome.Status}");
            }
            // The earlier attempt failed: the ledger no longer lets it hold the boot, so the next claim is ours.
        }
        return await RunClaimedAsync(instanceEvent, mine, cancellationToken).ConfigureAwait(false);
    }

    private const string AlreadyTuned = "this boot was already tuned from";

    /// <summary>The status that decided the boot: the outcome's own, or for a deduplicated event the earlier source's.</summary>
    public static string BootStatus(EventOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Status == "unchanged" && outcome.Detail.StartsWith(AlreadyTuned, StringComparison.Ordinal) && outcome.Detail.LastIndexOf(": ", StringComparison.Ordinal) is var i and > 0
            ? outcome.Detail[(i + 2)..]
            : outcome.Status;
    }

    private async Task<EventOutcome> RunClaimedAsync(InstanceEvent e, BootClaim mine, CancellationToken cancellationToken)
    {
        var outcome = new EventOutcome("failed", "handler did not finish");
        try
        {
            outcome = await inner.HandleAsync(e, cancellationToken).ConfigureAwait(false);
            return outcome;
        }
        finally
        {
            BootLedger.Complete(mine, outcome);
        }
    }
}
