using KvmNovaTuner.Messaging.Store;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.Intake;

/// <summary>Opening a database file of the first shape (separate <c>seen</c> table) upgrades it in place.</summary>
public sealed class IntakeStoreUpgradeTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 15, 10, 0, 0, TimeSpan.Zero);
    private string _dir = null!;
    private string _path = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("knt-upgrade-").FullName;
        _path = Path.Combine(_dir, "intake.db");
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private Task<IntakeStore> OpenAsync() => IntakeStore.OpenAsync(_path, new FakeTimeProvider(Now), TimeSpan.FromHours(1));

    /// <summary>The first shape, as the previous version created it, with two handled messages, one poison row, and an id marked but never journaled.</summary>
    private async Task CreateFirstShapeAsync()
    {
        var at = Now.AddMinutes(-5).ToUnixTimeMilliseconds();
        await using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            PRAGMA journal_mode=WAL;
            CREATE TABLE seen (message_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL) WITHOUT ROWID;
            CREATE INDEX seen_by_time ON seen(seen_at);
            CREATE TABLE journal (
                id INTEGER PRIMARY KEY, message_id TEXT, event_type TEXT, instance_uuid TEXT,
                host TEXT, status TEXT NOT NULL, detail TEXT NOT NULL, recorded_at INTEGER NOT NULL);
            CREATE INDEX journal_by_time ON journal(recorded_at);
            INSERT INTO seen VALUES ('a', {at}), ('b', {at}), ('orphan', {at});
            INSERT INTO journal (message_id, event_type, instance_uuid, host, status, detail, recorded_at) VALUES
                ('a', 'instance.create.end', 'u1', 'h', 'accepted', 'placed here', {at}),
                (NULL, NULL, NULL, NULL, 'dead-lettered', 'bad json', {at}),
                ('b', 'instance.pause.end', 'u2', 'h', 'ignored', 'no change', {at});
            """;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<string>> ObjectsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }
        return names;
    }

    [Test]
    public async Task Open_FirstShapeFile_KeepsEveryJournalRowInOrder()
    {
        await CreateFirstShapeAsync();
        await using var store = await OpenAsync();
        var journal = await store.ReadJournalAsync();
        Assert.That(journal.Select(j => (j.MessageId, j.Status)), Is.EqualTo(new (string?, string)[]
        {
            ("a", "accepted"), (null, "dead-lettered"), ("b", "ignored"), ("orphan", "seen"),
        }));
    }

    [Test]
    public async Task Open_FirstShapeFile_EveryRememberedIdStaysADuplicate()
    {
        await CreateFirstShapeAsync();
        await using var store = await OpenAsync();
        await store.BeginBatchAsync();
        foreach (var id in new[] { "a", "b", "orphan" })
        {
            Assert.That(await store.TryMarkAsync(id), Is.False, id);
        }
        Assert.That(await store.TryMarkAsync("c"), Is.True);
    }

    [Test]
    public async Task Open_FirstShapeFile_DropsTheSeenTableAndTimeIndexes()
    {
        await CreateFirstShapeAsync();
        await using (await OpenAsync())
        {
        }
        Assert.That(await ObjectsAsync(), Is.EqualTo(new[] { "dedupe", "dedupe_by_journal", "journal" }));
    }

    [Test]
    public async Task Open_UpgradedFile_ReopensUnchanged()
    {
        await CreateFirstShapeAsync();
        await using (await OpenAsync())
        {
        }
        await using var store = await OpenAsync();
        Assert.That(await store.ReadJournalAsync(), Has.Count.EqualTo(4));
        Assert.That(await store.IsSeenAsync("orphan"), Is.True);
    }

    [Test]
    public async Task Open_FirstShapeFileThenRecord_NewIdsAreJournaledAfterTheOldRows()
    {
        await CreateFirstShapeAsync();
        await using var store = await OpenAsync();
        Assert.That(await store.RecordAsync(new JournalEntry("c", "instance.create.end", "u3", "h", "accepted", "placed here", Now)), Is.True);
        Assert.That(await store.RecordAsync(new JournalEntry("a", "instance.create.end", "u1", "h", "accepted", "redelivered", Now)), Is.False);
        Assert.That((await store.ReadJournalAsync()).Select(j => j.MessageId).Last(), Is.EqualTo("c"));
    }
}
