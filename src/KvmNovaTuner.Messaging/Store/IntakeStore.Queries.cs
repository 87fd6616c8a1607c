using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.Messaging.Store;

/// <summary>The statements behind <see cref="IntakeStore"/>: marking, journaling, pruning and reading the journal.</summary>
public sealed partial class IntakeStore
{
    private async Task<bool> MarkSeenAsync(SqliteTransaction tx, string messageId, DateTimeOffset at, CancellationToken cancellationToken) =>
        await IntakeStatements.Bind(_statements.MarkSeen, tx, messageId, at.ToUnixTimeMilliseconds())
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;

    private Task<int> InsertJournalAsync(SqliteTransaction tx, JournalEntry e, CancellationToken cancellationToken) =>
        IntakeStatements.Bind(_statements.InsertJournal, tx, e.MessageId, e.EventType, e.InstanceUuid, e.Host, e.Status, e.Detail, e.RecordedAt.ToUnixTimeMilliseconds())
            .ExecuteNonQueryAsync(cancellationToken);

    /// <summary>Forgets ids and journal rows older than the retention window; runs at most once a minute from <see cref="RecordAsync"/>.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = (_time.GetUtcNow() - Retention).ToUnixTimeMilliseconds();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = _connection.CreateCommand();
            command.Transaction = _batch;
            command.CommandText = "DELETE FROM seen WHERE seen_at < $cutoff; DELETE FROM journal WHERE recorded_at < $cutoff;";
            command.Parameters.AddWithValue("$cutoff", cutoff);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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
            command.Transaction = _batch;
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
