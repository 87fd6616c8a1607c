using KvmNovaTuner.Messaging.Store;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.Intake;

public sealed partial class IntakeStoreTests
{
    private string _dir = null!;
    private FakeTimeProvider _time = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("knt-store-").FullName;
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private Task<IntakeStore> OpenAsync() => IntakeStore.OpenAsync(Path.Combine(_dir, "intake.db"), _time, TimeSpan.FromHours(1));

    private JournalEntry Entry(string id, string status = "accepted") => new(id, "instance.create.end", "u", "h", status, "why", _time.GetUtcNow());

    [Test]
    public async Task Record_SameMessageIdTwice_JournalsOnce()
    {
        await using var store = await OpenAsync();
        Assert.That(await store.RecordAsync(Entry("m1")), Is.True);
        Assert.That(await store.RecordAsync(Entry("m1")), Is.False);
        Assert.That(await store.IsSeenAsync("m1"), Is.True);
        Assert.That(await store.ReadJournalAsync(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Record_SurvivesReopen()
    {
        await using (var store = await OpenAsync())
        {
            await store.RecordAsync(Entry("m1", "ignored"));
        }
        await using var reopened = await OpenAsync();
        Assert.That(await reopened.IsSeenAsync("m1"), Is.True);
        Assert.That((await reopened.ReadJournalAsync())[0].Status, Is.EqualTo("ignored"));
    }

    [Test]
    public async Task Prune_AfterRetention_ForgetsOldIdsOnly()
    {
        await using var store = await OpenAsync();
        await store.RecordAsync(Entry("old"));
        _time.Advance(TimeSpan.FromMinutes(90));
        await store.RecordAsync(Entry("new"));
        await store.PruneAsync();
        Assert.That(await store.IsSeenAsync("old"), Is.False);
        Assert.That(await store.IsSeenAsync("new"), Is.True);
    }

    [Test]
    public async Task Record_WithoutMessageId_AlwaysJournals()
    {
        await using var store = await OpenAsync();
        await store.RecordAsync(Entry(null!, "dead-lettered") with { MessageId = null });
        await store.RecordAsync(Entry(null!, "dead-lettered") with { MessageId = null });
        Assert.That(await store.ReadJournalAsync(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Batch_RolledBack_LeavesNeitherMarkNorJournal()
    {
        await using var store = await OpenAsync();
        await store.BeginBatchAsync();
        Assert.That(await store.TryMarkAsync("m1"), Is.True);
        await store.JournalAsync(Entry("m1"));
        Assert.That(await store.TryMarkAsync("m1"), Is.False, "a redelivery inside the same batch is a duplicate");
        await store.RollbackBatchAsync();
        Assert.That(await store.IsSeenAsync("m1"), Is.False);
        Assert.That(await store.ReadJournalAsync(), Is.Empty);
    }

    [Test]
    public async Task Batch_Committed_MakesEveryRecordDurable()
    {
        await using (var store = await OpenAsync())
        {
            await store.BeginBatchAsync();
            foreach (var id in new[] { "a", "b", "c" })
            {
                await store.TryMarkAsync(id);
                await store.JournalAsync(Entry(id));
            }
            await store.CommitBatchAsync();
        }
        await using var reopened = await OpenAsync();
        Assert.That((await reopened.ReadJournalAsync()).Select(j => j.MessageId), Is.EqualTo(new[] { "a", "b", "c" }));
    }

    [Test]
    public async Task TryMark_WithoutBatch_Throws()
    {
        await using var store = await OpenAsync();
        Assert.That(async () => await store.TryMarkAsync("m"), Throws.InvalidOperationException);
    }
}
