using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.State;

namespace KvmNovaTuner.HostTuning.Profiles;

/// <summary>What to do at start with an apply that a crash interrupted.</summary>
public enum RecoveryMode
{
    /// <summary>Apply the interrupted profile again to the end.</summary>
    Finish,
    /// <summary>Write every saved original back.</summary>
    Rollback,
}

/// <summary>The outcome of a start-up recovery: the interrupted profile (null when there was nothing to recover) and what was done.</summary>
public sealed record RecoveryReport(string? Profile, RecoveryMode Mode, IReadOnlyList<ItemOutcome> Outcomes);

/// <summary>
/// Start-up crash recovery (like TuneD restoring saved originals at start): when the journal shows an apply that did
/// not finish, finish it or roll it back.
/// </summary>
public sealed class HostProfileRecovery(HostRoot root, HostStateStore store, ProfileCatalog catalog)
{
    public async Task<RecoveryReport> RecoverAsync(RecoveryMode mode, CancellationToken cancellationToken = default)
    {
        var journal = await store.GetJournalAsync(cancellationToken).ConfigureAwait(false);
        if (journal is not { Completed: false })
        {
            return new RecoveryReport(null, mode, []);
        }
        var applier = new HostProfileApplier(root, store);
        if (mode == RecoveryMode.Rollback)
        {
            return new RecoveryReport(journal.Profile, mode, await applier.RollbackAsync(cancellationToken).ConfigureAwait(false));
        }
        var plan = await ProfilePlanning.PlanAsync(root, catalog, journal.Profile, cancellationToken).ConfigureAwait(false);
        var outcomes = await applier.ApplyAsync(journal.Profile, plan.Items.Items, dryRun: false, cancellationToken).ConfigureAwait(false);
        return new RecoveryReport(journal.Profile, mode, outcomes);
    }
}
