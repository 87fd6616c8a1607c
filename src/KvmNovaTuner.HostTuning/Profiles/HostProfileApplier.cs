using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.State;

namespace KvmNovaTuner.HostTuning.Profiles;

/// <summary>
/// Applies, verifies and rolls back a profile's managed items on a host root, TuneD-style: the original of each
/// value is saved in the store before it is first written, every write is read back, and rollback writes the saved
/// originals back. The journal records an apply that did not finish so the next start can roll back or finish it.
/// Without a store only dry runs and verify are possible.
/// </summary>
public sealed class HostProfileApplier(HostRoot root, HostStateStore? store)
{
    /// <summary>Runs after an original is saved and before the write: tests use it to simulate a crash there.</summary>
    public Func<ManagedItem, CancellationToken, Task>? AfterSave { get; init; }

    public async Task<IReadOnlyList<ItemOutcome>> ApplyAsync(string profile, IReadOnlyList<ManagedItem> items, bool dryRun, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!dryRun)
        {
            await Store.BeginApplyAsync(profile, cancellationToken).ConfigureAwait(false);
        }
        var outcomes = new List<ItemOutcome>();
        foreach (var item in items)
        {
            outcomes.Add(await ApplyOneAsync(item, dryRun, cancellationToken).ConfigureAwait(false));
        }
        if (!dryRun)
        {
            await Store.CompleteApplyAsync(cancellationToken).ConfigureAwait(false);
        }
        return outcomes;
    }

    public async Task<IReadOnlyList<VerifyOutcome>> VerifyAsync(IReadOnlyList<ManagedItem> items, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var outcomes = new List<VerifyOutcome>();
        foreach (var item in items)
        {
            var text = await root.ReadTextAsync(item.HostPath, cancellationToken).ConfigureAwait(false);
            var actual = item.CurrentValue(text);
            outcomes.Add(item.Adaptive
                ? new VerifyOutcome(item.Name, item.HostPath, item.Desired, actual, actual is not null, "adaptive: the KSM controller owns this value")
                : new VerifyOutcome(item.Name, item.HostPath, item.Desired, actual, item.IsSatisfiedBy(text)));
        }
        return outcomes;
    }

    /// <summary>Writes every saved original back, forgets each one that reads back right, and clears the journal when all did.</summary>
    public async Task<IReadOnlyList<ItemOutcome>> RollbackAsync(CancellationToken cancellationToken = default)
    {
        var outcomes = new List<ItemOutcome>();
        foreach (var saved in await Store.GetSavedAsync(cancellationToken).ConfigureAwait(false))
        {
            var item = new ManagedItem(saved.Item, saved.HostPath, saved.Original, saved.Style);
            var outcome = await WriteAsync(item, ItemStatus.Restored, cancellationToken).ConfigureAwait(false);
            if (outcome.Status != ItemStatus.Failed)
            {
                await Store.ForgetAsync(saved.HostPath, cancellationToken).ConfigureAwait(false);
            }
            outcomes.Add(outcome);
        }
        if (outcomes.All(o => o.Status != ItemStatus.Failed))
        {
            await Store.ClearJournalAsync(cancellationToken).ConfigureAwait(false);
        }
        return outcomes;
    }

    private HostStateStore Store => store ?? throw new InvalidOperationException("applying or rolling back needs the saved-values store");

    private async Task<ItemOutcome> ApplyOneAsync(ManagedItem item, bool dryRun, CancellationToken cancellationToken)
    {
        var text = await root.ReadTextAsync(item.HostPath, cancellationToken).ConfigureAwait(false);
        var before = item.CurrentValue(text);
        if (text is null || before is null)
        {
            return new ItemOutcome(item.Name, item.HostPath, ItemStatus.Failed, null, null, "not present on this host");
        }
        if (item.IsSatisfiedBy(text))
        {
            return new ItemOutcome(item.Name, item.HostPath, ItemStatus.Unchanged, before, before, "already set");
        }
        if (dryRun)
        {
            return new ItemOutcome(item.Name, item.HostPath, ItemStatus.WouldChange, before, item.Desired, $"would set {before} -> {item.Desired}");
        }
        await Store.SaveOriginalAsync(item, before, cancellationToken).ConfigureAwait(false);
        if (AfterSave is { } hook)
        {
            await hook(item, cancellationToken).ConfigureAwait(false);
        }
        return await WriteAsync(item, ItemStatus.Applied, cancellationToken).ConfigureAwait(false) with { Before = before };
    }

    private async Task<ItemOutcome> WriteAsync(ManagedItem item, ItemStatus success, CancellationToken cancellationToken)
    {
        var before = item.CurrentValue(await root.ReadTextAsync(item.HostPath, cancellationToken).ConfigureAwait(false));
        try
        {
            await root.WriteTextAsync(item.HostPath, item.Desired, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new ItemOutcome(item.Name, item.HostPath, ItemStatus.Failed, before, before, $"write refused: {e.Message}");
        }
        var text = await root.ReadTextAsync(item.HostPath, cancellationToken).ConfigureAwait(false);
        var after = item.CurrentValue(text);
        return item.IsSatisfiedBy(text)
            ? new ItemOutcome(item.Name, item.HostPath, success, before, after, $"{before} -> {after}")
            : new ItemOutcome(item.Name, item.HostPath, ItemStatus.Failed, before, after, $"wrote {item.Desired} but the host shows {after}");
    }
}
