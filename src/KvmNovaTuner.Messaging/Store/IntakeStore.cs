using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.Messaging.Store;

/// <summary>
/// The intake's durable local state (SQLite, WAL): a journal of the outcome of every message, whose message ids,
/// kept for a bounded retention window, are also the dedupe window that drops broker redeliveries (a message's
/// journal row is its "seen" mark). Records of a batch are held in memory and written in one transaction at
/// commit, in the batch's transaction; duplicates are recognised before the message is handled (<see cref="TryMarkAsync"/>). Safe for
/// concurrent callers (one connection, serialised); meant for one writing process per file.
/// </summary>
public sealed partial class IntakeStore : IBatchCommitter, IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _lastPrune;
    private readonly IntakeStatements _statements;
    private readonly IntakeBatch _batch = new();

    private IntakeStore(SqliteConnection connection, TimeProvider time, TimeSpan retention)
    {
        _connection = connection;
        _statements = new IntakeStatements(connection);
        _time = time;
        Retention = retention;
        _lastPrune = time.GetUtcNow();
    }

    /// <summary>How long a handled message id is remembered (and journal rows kept).</summary>
    public TimeSpan Retention { get; }

    /// <summary>Opens (creating, or upgrading a file of the older shape in place) the store at <paramref name="path"/>.</summary>
    public static async Task<IntakeStore> OpenAsync(string path, TimeProvider time, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        IntakeStore? store = null;
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = connection.CreateCommand())
            {
                // WAL + synchronous=NORMAL: a commit survives a crash of this process (the case the broker's
                // redelivery meets); busy_timeout lets a second reader (journal CLI, tests) wait instead of failing.
                command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await IntakeSchema.EnsureAsync(connection, cancellationToken).ConfigureAwait(false);
            store = new IntakeStore(connection, time, retention);
            await store.MergeNowAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            if (store is not null)
            {
                await store.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
            throw;
        }
    }

    /// <summary>Whether this message id was already handled within the retention window (or is recorded in the open batch).</summary>
    public async Task<bool> IsSeenAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_batch.IsOpen)
            {
                await RefreshIfOtherWriterAsync(cancellationToken).ConfigureAwait(false);
            }
            return IsKnown(messageId);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Marks the message handled and journals its outcome — in the open batch when there is one (durable at
    /// <see cref="CommitBatchAsync"/>), else at once. Returns false (and journals nothing) when the id was
    /// already recorded: an earlier delivery won.
    /// </summary>
    public async Task<bool> RecordAsync(JournalEntry entry, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var single = !_batch.IsOpen;
            if (single)
            {
                await OpenBatchAsync(cancellationToken).ConfigureAwait(false);
            }
            try
            {
                if (entry.MessageId is { } id && IsKnown(id))
                {
                    return false;
                }
                _batch.Add(entry);
                if (single)
                {
                    await WriteBatchAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            finally
            {
                if (single)
                {
                    await _batch.CloseAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _gate.Release();
        }
        await PruneIfDueAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Whether a batch (group commit) is open.</summary>
    public bool InBatch => _batch.IsOpen;

    /// <summary>
    /// Inside an open batch: reserves the id, or returns false when it is already journaled or reserved in this
    /// batch (a redelivery) — checked before the message is handled. The reservation becomes durable with the
    /// journal row added by <see cref="JournalAsync"/>, at <see cref="CommitBatchAsync"/>.
    /// </summary>
    public async Task<bool> TryMarkAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            OpenBatch();
            return !IsKnown(messageId) && _batch.Reserve(messageId);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Inside an open batch: journals an outcome (for an id reserved by <see cref="TryMarkAsync"/>); written at commit.</summary>
    public async Task JournalAsync(JournalEntry entry, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            OpenBatch().Add(entry);
        }
        finally
        {
            _gate.Release();
        }
    }

    private IntakeBatch OpenBatch() => _batch.IsOpen ? _batch : throw new InvalidOperationException("no batch is open: call BeginBatchAsync first");

    /// <summary>Discards the open batch, if any (its messages were not acked and will be redelivered).</summary>
    public async Task RollbackBatchAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _batch.CloseAsync().ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Opens a batch: one transaction (BEGIN IMMEDIATE) until <see cref="CommitBatchAsync"/>; later records are
    /// held in memory and appended at the commit (group commit).
    /// </summary>
    public async Task BeginBatchAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_batch.IsOpen)
            {
                await OpenBatchAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes the open batch, if any, in one transaction: from here on its records are durable. On failure none of it is, and the batch is discarded.</summary>
    public async Task CommitBatchAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_batch.IsOpen)
            {
                return;
            }
            try
            {
                await WriteBatchAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await _batch.CloseAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
        await PruneIfDueAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The batch's transaction, then, holding the write lock, another process's commits (see <see cref="RefreshIfOtherWriterAsync"/>).</summary>
    private async Task OpenBatchAsync(CancellationToken cancellationToken)
    {
        _batch.Open((SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false));
        try
        {
            await RefreshIfOtherWriterAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await _batch.CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Appends the batch's rows (merging the recent ids into the on-disk index when due) and commits its transaction.</summary>
    private async Task WriteBatchAsync(CancellationToken cancellationToken)
    {
        var tx = _batch.Transaction!;
        var entries = _batch.Entries;
        var merge = _recent.Count + entries.Count >= MergeThreshold;
        foreach (var entry in entries)
        {
            _statements.Insert(entry);
        }
        var mergedThrough = merge ? await MergeAsync(tx, cancellationToken).ConfigureAwait(false) : 0;
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        if (merge)
        {
            Merged(mergedThrough);
            return;
        }
        foreach (var entry in entries)
        {
            if (entry.MessageId is { } id)
            {
                _recent.Add(id);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _batch.CloseAsync().ConfigureAwait(false); // rolled back: not acked either, so redelivered
        _statements.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
