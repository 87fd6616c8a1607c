using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.Messaging.Store;

/// <summary>
/// The store's schema (version 2): <c>journal</c>, appended to (no index but its row id), and <c>dedupe</c>, the
/// on-disk index of journaled message ids, filled in bulk from the journal (see <see cref="IntakeStore"/>).
/// Version 1 (user_version 0) kept the ids in a <c>seen</c> table written per message; opening such a file
/// upgrades it in place, in one transaction, keeping every remembered id.
/// </summary>
internal static class IntakeSchema
{
    public const int Version = 2;

    private const string Create = """
        CREATE TABLE IF NOT EXISTS journal (
            id INTEGER PRIMARY KEY, message_id TEXT, event_type TEXT, instance_uuid TEXT,
            host TEXT, status TEXT NOT NULL, detail TEXT NOT NULL, recorded_at INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS dedupe (message_id TEXT PRIMARY KEY, journal_id INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS dedupe_by_journal ON dedupe(journal_id);
        """;

    /// <summary>
    /// From version 1: ids marked seen but never journaled (a failure between the two) become journal rows with
    /// status <c>seen</c>, so the whole dedupe window survives (the store indexes the journal's ids when it opens);
    /// then the <c>seen</c> table and the time indexes go (pruning walks the journal by id).
    /// </summary>
    private const string Upgrade = """
        CREATE TABLE IF NOT EXISTS seen (message_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO journal (message_id, status, detail, recorded_at)
            SELECT message_id, 'seen', 'marked handled before the upgrade to intake schema 2; no outcome was journaled', seen_at
            FROM seen WHERE message_id NOT IN (SELECT message_id FROM journal WHERE message_id IS NOT NULL)
            ORDER BY seen_at;
        DROP TABLE seen;
        DROP INDEX IF EXISTS journal_by_time;
        """;

    /// <summary>Creates the schema, or upgrades an older one, in one transaction (BEGIN IMMEDIATE, Microsoft.Data.Sqlite's default).</summary>
    public static async Task EnsureAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var tx = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (version == Version)
        {
            return;
        }
        if (version > Version)
        {
            throw new InvalidOperationException($"{connection.DataSource} has intake schema {version}, newer than this version understands ({Version})");
        }
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal'";
        var upgrading = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0;
        command.CommandText = Create + (upgrading ? Upgrade : "") + $"PRAGMA user_version = {Version};";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
