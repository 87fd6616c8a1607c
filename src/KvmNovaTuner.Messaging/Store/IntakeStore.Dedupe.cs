using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.Messaging.Store;

/// <summary>
/// The dedupe window. A journaled message id is looked up in three places: the open batch, the ids journaled
/// since the last merge (in memory), and the <c>dedupe</c> table. Writing each id into an on-disk index as it
/// is journaled dirtied one random index page per message (random ids); instead the recent ids are merged into
/// <c>dedupe</c> in bulk, sorted, every <see cref="MergeThreshold"/> ids (and on open and before pruning), in
/// the same transaction as a batch. A crash loses nothing: unmerged ids are in the journal and merged on open.
/// </summary>
public sealed partial class IntakeStore
{
    /// <summary>How many journaled ids are held in memory before they are merged into the on-disk index.</summary>
    public const int MergeThreshold = 8192;

    private readonly HashSet<string> _recent = new(StringComparer.Ordinal);
    private long _mergedThrough;
    private long _dataVersion;

    private bool IsKnown(string messageId) =>
        _batch.Holds(messageId) || _recent.Contains(messageId) || _statements.IsMerged(messageId);

    /// <summary>Indexes every journal row after the last merge; returns the journal id merged through (commit, then <see cref="Merged"/>).</summary>
    private async Task<long> MergeAsync(SqliteTransaction tx, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = """
            INSERT OR IGNORE INTO dedupe (message_id, journal_id)
                SELECT message_id, id FROM journal WHERE id > $from AND message_id IS NOT NULL ORDER BY message_id
            """;
        command.Parameters.AddWithValue("$from", _mergedThrough);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        command.CommandText = "SELECT IFNULL(MAX(id), $from) FROM journal";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>After a merge committed: the in-memory ids are now on disk.</summary>
    private void Merged(long through)
    {
        _mergedThrough = through;
        _recent.Clear();
    }

    /// <summary>
    /// On open: merges what was journaled after the last merge (a crash, or the process ended, before the next
    /// one) in its own transaction. Every journal row up to the newest merged id was merged with it.
    /// </summary>
    private async Task MergeNowAsync(CancellationToken cancellationToken)
    {
        await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = _connection.CreateCommand())
        {
            command.Transaction = tx;
            command.CommandText = "SELECT IFNULL(MAX(journal_id), 0) FROM dedupe";
            _mergedThrough = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }
        var through = await MergeAsync(tx, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        Merged(through);
        _dataVersion = _statements.DataVersion();
    }

    /// <summary>
    /// Another process (e.g. a replay into the agent's state directory) committed to this file: its journaled
    /// ids after our last merge are not in memory, so load them. Checked when a batch opens (after its transaction
    /// took the write lock, so no other commit can slip in before our records) and per lookup outside a batch.
    /// </summary>
    private async Task RefreshIfOtherWriterAsync(CancellationToken cancellationToken)
    {
        var version = _statements.DataVersion();
        if (version == _dataVersion)
        {
            return;
        }
        _dataVersion = version;
        await using var command = _connection.CreateCommand();
        command.Transaction = _batch.Transaction;
        command.CommandText = "SELECT message_id FROM journal WHERE id > $from AND message_id IS NOT NULL";
        command.Parameters.AddWithValue("$from", _mergedThrough);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            _recent.Add(reader.GetString(0));
        }
    }
}
