using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.Messaging.Store;

/// <summary>Pruning and reading the journal.</summary>
public sealed partial class IntakeStore
{
    /// <summary>
    /// Forgets journal rows, and their ids, older than the retention window, oldest first: every row before the
    /// first one still within the window (rows are appended in time order; after a clock step back an old row may
    /// outlive the window until the rows before it go). Runs at most once a minute after a commit; does nothing while
    /// a batch is open. Returns how many journal rows went.
    /// </summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = (_time.GetUtcNow() - Retention).ToUnixTimeMilliseconds();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_batch.IsOpen)
            {
                return 0; // between batches only: the next one's commit prunes
            }
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var mergedThrough = await MergeAsync(tx, cancellationToken).ConfigureAwait(false);
            await using var command = _connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = """
                SELECT COALESCE(
                    (SELECT id FROM journal WHERE recorded_at >= $cutoff ORDER BY id LIMIT 1),
                    (SELECT IFNULL(MAX(id), 0) + 1 FROM journal))
                """;
            command.Parameters.AddWithValue("$cutoff", cutoff);
            var keepFrom = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$keepFrom", keepFrom);
            command.CommandText = "DELETE FROM dedupe WHERE journal_id < $keepFrom";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            command.CommandText = "DELETE FROM journal WHERE id < $keepFrom";
            var pruned = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            // Everything gone: SQLite numbers the next row 1 again, so merging must start from the beginning.
            Merged(keepFrom > mergedThrough ? 0 : mergedThrough);
            return pruned;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task PruneIfDueAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now - _lastPrune < TimeSpan.FromMinutes(1))
        {
            return;
        }
        _lastPrune = now;
        await PruneAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The journal, oldest first (at most <paramref name="limit"/> rows).</summary>
    public async Task<IReadOnlyList<JournalEntry>> ReadJournalAsync(int limit = int.MaxValue, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = _connection.CreateCommand();
            command.Transaction = _batch.Transaction;
            command.CommandText = "SELECT message_id, event_type, instance_uuid, host, status, detail, recorded_at FROM journal ORDER BY id LIMIT $limit";
            command.Parameters.AddWithValue("$limit", limit);
            var rows = new List<JournalEntry>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new JournalEntry(
                    reader.IsDBNull(0) ? null : reader.GetString(0),
                    reader.IsDBNull(1) ? null : reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3),
                    reader.GetString(4),
                    reader.GetString(5),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
            }
            return rows;
        }
        finally
        {
            _gate.Release();
        }
    }
}
