using System.Globalization;
using KvmNovaTuner.Core.HostProfile;
using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.HostTuning.State;

/// <summary>One saved original: the host path, the item's name, the value it had before the tuner first wrote it.</summary>
public sealed record SavedValue(string HostPath, string Item, ItemStyle Style, string Original, DateTimeOffset SavedAt);

/// <summary>The apply journal: which profile was being applied, and whether that apply finished.</summary>
public sealed record ApplyJournal(string Profile, bool Completed, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt);

/// <summary>
/// The local SQLite store of saved original values and the apply journal (like TuneD's saved state): a value is saved
/// before the first write that replaces it and is kept across re-applies, so a crash between save and write, or
/// between two writes, always leaves what rollback needs.
/// </summary>
public sealed class HostStateStore : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;

    private HostStateStore(SqliteConnection connection, TimeProvider time)
    {
        _connection = connection;
        _time = time;
    }

    /// <summary>True when a store was ever created in <paramref name="stateDirectory"/> (read verbs never create one).</summary>
    public static bool ExistsIn(string stateDirectory) => File.Exists(Path.Join(stateDirectory, "host-state.db"));

    /// <summary>Opens (creating when needed) <c>host-state.db</c> in <paramref name="stateDirectory"/>.</summary>
    public static async Task<HostStateStore> OpenAsync(string stateDirectory, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        Directory.CreateDirectory(stateDirectory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Join(stateDirectory, "host-state.db"),
            Pooling = false,
        }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        var store = new HostStateStore(connection, time);
        await store.ExecuteAsync("""
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS saved_values(host_path TEXT PRIMARY KEY, item TEXT NOT NULL, style TEXT NOT NULL, original TEXT NOT NULL, saved_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS apply_journal(id INTEGER PRIMARY KEY CHECK (id = 1), profile TEXT NOT NULL, completed INTEGER NOT NULL, started_at TEXT NOT NULL, completed_at TEXT);
            """, cancellationToken).ConfigureAwait(false);
        return store;
    }

    /// <summary>Saves the original of a path unless one is already saved (the first original wins). Durable on return.</summary>
    public Task SaveOriginalAsync(ManagedItem item, string original, CancellationToken cancellationToken = default) =>
        ExecuteAsync("INSERT OR IGNORE INTO saved_values(host_path, item, style, original, saved_at) VALUES ($p, $i, $s, $o, $t)", cancellationToken,
            ("$p", item.HostPath), ("$i", item.Name), ("$s", item.Style.ToString()), ("$o", original), ("$t", Now()));

    public async Task<IReadOnlyList<SavedValue>> GetSavedAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT host_path, item, style, original, saved_at FROM saved_values ORDER BY host_path");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var saved = new List<SavedValue>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            saved.Add(new SavedValue(reader.GetString(0), reader.GetString(1), Enum.Parse<ItemStyle>(reader.GetString(2)), reader.GetString(3), Parse(reader.GetString(4))));
        }
        return saved;
    }

    /// <summary>Forgets a saved original once it has been written back.</summary>
    public Task ForgetAsync(string hostPath, CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM saved_values WHERE host_path = $p", cancellationToken, ("$p", hostPath));

    public Task BeginApplyAsync(string profile, CancellationToken cancellationToken = default) =>
        ExecuteAsync("INSERT OR REPLACE INTO apply_journal(id, profile, completed, started_at, completed_at) VALUES (1, $p, 0, $t, NULL)",
            cancellationToken, ("$p", profile), ("$t", Now()));

    public Task CompleteApplyAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE apply_journal SET completed = 1, completed_at = $t WHERE id = 1", cancellationToken, ("$t", Now()));

    public Task ClearJournalAsync(CancellationToken cancellationToken = default) =>
        ExecuteAsync("DELETE FROM apply_journal", cancellationToken);

    /// <summary>The last apply, or null when none is recorded (never applied, or rolled back).</summary>
    public async Task<ApplyJournal?> GetJournalAsync(CancellationToken cancellationToken = default)
    {
        await using var command = Command("SELECT profile, completed, started_at, completed_at FROM apply_journal WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        return new ApplyJournal(reader.GetString(0), reader.GetInt64(1) == 1, Parse(reader.GetString(2)),
            reader.IsDBNull(3) ? null : Parse(reader.GetString(3)));
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private string Now() => _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
