using KvmNovaTuner.Messaging.Store;

namespace KvmNovaTuner.Core.Tests.Intake;

/// <summary>The dedupe window: inside a batch, across batches (in memory and merged on disk), across processes, and pruned.</summary>
public sealed partial class IntakeStoreTests
{
    private static async Task<bool> HandleInBatchAsync(IntakeStore store, JournalEntry entry)
    {
        if (!await store.TryMarkAsync(entry.MessageId!))
        {
            return false;
        }
        await store.JournalAsync(entry);
        return true;
    }

    /// <summary>One committed batch handling these ids.</summary>
    private async Task CommitBatchOfAsync(IntakeStore store, params string[] ids)
    {
        await store.BeginBatchAsync();
        foreach (var id in ids)
        {
            await HandleInBatchAsync(store, Entry(id));
        }
        await store.CommitBatchAsync();
    }

    [Test]
    public async Task Record_SameIdTwiceInOneBatch_SecondIsDuplicate()
    {
        await using var store = await OpenAsync();
        await store.BeginBatchAsync();
        Assert.That(await HandleInBatchAsync(store, Entry("m1")), Is.True);
        Assert.That(await HandleInBatchAsync(store, Entry("m1")), Is.False);
        Assert.That(await store.RecordAsync(Entry("m1")), Is.False, "a record inside the batch sees the batch's ids too");
        await store.CommitBatchAsync();
        Assert.That(await store.ReadJournalAsync(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task TryMark_IdReservedButNotYetJournaled_SecondIsDuplicate()
    {
        await using var store = await OpenAsync();
        await store.BeginBatchAsync();
        Assert.That(await store.TryMarkAsync("m1"), Is.True);
        Assert.That(await store.TryMarkAsync("m1"), Is.False);
    }

    [Test]
    public async Task TryMark_IdCommittedInAnEarlierBatch_IsDuplicate()
    {
        await using var store = await OpenAsync();
        await CommitBatchOfAsync(store, "m1");

        await store.BeginBatchAsync();
        Assert.That(await store.TryMarkAsync("m1"), Is.False);
        Assert.That(await store.TryMarkAsync("m2"), Is.True);
    }

    [Test]
    public async Task TryMark_IdCommittedBeforeAReopen_IsDuplicate()
    {
        await using (var store = await OpenAsync())
        {
            await CommitBatchOfAsync(store, "m1");
        }
        await using var reopened = await OpenAsync();
        await reopened.BeginBatchAsync();
        Assert.That(await reopened.TryMarkAsync("m1"), Is.False);
        Assert.That(await reopened.IsSeenAsync("m1"), Is.True);
    }

    [Test]
    public async Task TryMark_AfterMoreIdsThanTheMergeThreshold_EveryEarlierIdIsDuplicate()
    {
        await using var store = await OpenAsync();
        var ids = Enumerable.Range(0, IntakeStore.MergeThreshold + 250).Select(i => $"id-{i}").ToList();
        foreach (var chunk in ids.Chunk(100))
        {
            await CommitBatchOfAsync(store, chunk);
        }
        await store.BeginBatchAsync();
        foreach (var id in new[] { ids[0], ids[IntakeStore.MergeThreshold / 2], ids[^1] })
        {
            Assert.That(await store.TryMarkAsync(id), Is.False, id);
        }
        await store.RollbackBatchAsync();
        Assert.That(await store.ReadJournalAsync(), Has.Count.EqualTo(ids.Count));
    }

    [Test]
    public async Task Reopen_AfterAMergeAndAnUnmergedTail_EveryIdIsDuplicate()
    {
        var ids = Enumerable.Range(0, IntakeStore.MergeThreshold + 150).Select(i => $"id-{i}").ToList();
        await using (var store = await OpenAsync())
        {
            foreach (var chunk in ids.Chunk(100))
            {
                await CommitBatchOfAsync(store, chunk);
            }
        }
        await using var reopened = await OpenAsync();
        await reopened.BeginBatchAsync();
        foreach (var id in new[] { ids[0], ids[IntakeStore.MergeThreshold - 1], ids[IntakeStore.MergeThreshold + 1], ids[^1] })
        {
            Assert.That(await reopened.TryMarkAsync(id), Is.False, id);
        }
    }

    [Test]
    public async Task Rollback_ReleasesTheBatchsIds_SoTheRedeliveryIsHandled()
    {
        await using var store = await OpenAsync();
        await store.BeginBatchAsync();
        await HandleInBatchAsync(store, Entry("m1"));
        await store.RollbackBatchAsync();

        await store.BeginBatchAsync();
        Assert.That(await HandleInBatchAsync(store, Entry("m1")), Is.True);
        await store.CommitBatchAsync();
        Assert.That((await store.ReadJournalAsync()).Select(j => j.MessageId), Is.EqualTo(new[] { "m1" }));
    }

    [Test]
    public async Task IsSeen_IdJournaledByAnotherProcessAfterOpen_IsSeen()
    {
        await using var store = await OpenAsync();
        Assert.That(await store.IsSeenAsync("m1"), Is.False);
        await using (var other = await OpenAsync())
        {
            Assert.That(await other.RecordAsync(Entry("m1")), Is.True);
            Assert.That(await other.RecordAsync(Entry("m2")), Is.True);
        }
        Assert.That(await store.IsSeenAsync("m1"), Is.True);
        await store.BeginBatchAsync();
        Assert.That(await store.TryMarkAsync("m2"), Is.False);
    }

    [Test]
    public async Task Prune_AfterRetention_AnOldIdIsHandledAgainAndItsRowIsGone()
    {
        await using var store = await OpenAsync();
        await store.RecordAsync(Entry("old"));
        await store.RecordAsync(Entry(null!));
        _time.Advance(TimeSpan.FromMinutes(90));
        await store.RecordAsync(Entry("new")); // the first record more than a minute after the last prune prunes

        await store.PruneAsync();

        Assert.That((await store.ReadJournalAsync()).Select(j => j.MessageId), Is.EqualTo(new[] { "new" }));
        await store.BeginBatchAsync();
        Assert.That(await store.TryMarkAsync("old"), Is.True);
        Assert.That(await store.TryMarkAsync("new"), Is.False);
    }

    [Test]
    public async Task Prune_NothingWithinRetention_ForgetsEverything()
    {
        await using var store = await OpenAsync();
        await store.RecordAsync(Entry("a"));
        await store.RecordAsync(Entry("b"));
        _time.Advance(TimeSpan.FromHours(2));

        Assert.That(await store.PruneAsync(), Is.EqualTo(2));

        Assert.That(await store.ReadJournalAsync(), Is.Empty);
        Assert.That(await store.IsSeenAsync("a"), Is.False);
    }

    [Test]
    public async Task Prune_EverythingThenRecordAndMerge_TheNewIdIsStillADuplicate()
    {
        await using var store = await OpenAsync();
        await store.RecordAsync(Entry("a"));
        await store.RecordAsync(Entry("b"));
        _time.Advance(TimeSpan.FromHours(2));
        await store.PruneAsync();

        await store.RecordAsync(Entry("c")); // journal row 1 again: the table was emptied
        await store.PruneAsync(); // merges the recent ids into the on-disk index

        Assert.That(await store.IsSeenAsync("c"), Is.True);
        await using var reopened = await OpenAsync();
        Assert.That(await reopened.IsSeenAsync("c"), Is.True);
    }

    [Test]
    public async Task Prune_Twice_SecondForgetsNothing()
    {
        await using var store = await OpenAsync();
        await store.RecordAsync(Entry("old"));
        _time.Advance(TimeSpan.FromMinutes(90));
        await store.RecordAsync(Entry("new"));
        await store.PruneAsync();

        Assert.That(await store.PruneAsync(), Is.Zero);
        Assert.That(await store.IsSeenAsync("new"), Is.True);
    }
}
