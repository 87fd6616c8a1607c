using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.Messaging.Store;

/// <summary>
/// The intake's durable local state (SQLite, WAL): the message ids already handled, kept for a bounded retention
/// window so broker redeliveries are dropped, and a journal of the outcome of every message. One message's
/// "seen" mark and journal row are committed in one transaction; the intake acks only after that commit.
/// Safe for concurrent callers (one connection, serialised).
/// </summary>
public sealed partial class IntakeStore : IBatchCommitter, IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _lastPrune;
    private readonly IntakeStatements _statements;
    private SqliteTransaction? _batch;

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

    public static async Task<IntakeStore> OpenAsync(string path, TimeProvider time, TimeSpan retention, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(retention, TimeSpan.Zero);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 30 }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            // WAL + synchronous=NORMAL: a commit survives a crash of this process (the case the broker's
            // redelivery meets); busy_timeout lets a second reader (journal CLI, tests) wait instead of failing.
            command.CommandText = """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=NORMAL;
                PRAGMA busy_timeout=20000;
                CREATE TABLE IF NOT EXISTS seen (message_id TEXT PRIMARY KEY, seen_at INTEGER NOT NULL) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS seen_by_time ON seen(seen_at);
                CREATE TABLE IF NOT EXISTS journal (
                    id INTEGER PRIMARY KEY, message_id TEXT, event_type TEXT, instance_uuid TEXT,
                    host TEXT, status TEXT NOT NULL, detail TEXT NOT NULL, recorded_at INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS journal_by_time ON journal(recorded_at);
                """;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        return new IntakeStore(connection, time, retention);
    }

    /// <summary>Whether this message id was already handled within the retention window.</summary>
    public async Task<bool> IsSeenAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await IntakeStatements.Bind(_statements.IsSeen, _batch, messageId).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Marks the message handled and journals its outcome in one transaction — the open batch when there is
    /// one (durable at <see cref="CommitBatchAsync"/>), else its own. Returns false (and journals nothing) when
    /// the id was already marked: an earlier delivery won.
    /// </summary>
    public async Task<bool> RecordAsync(JournalEntry entry, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_batch is { } batch)
            {
                return await WriteAsync(batch, entry, cancellationToken).ConfigureAwait(false);
            }
            await using var tx = (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            if (!await WriteAsync(tx, entry, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
        await PruneIfDueAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> WriteAsync(SqliteTransaction tx, JournalEntry entry, CancellationToken cancellationToken)
    {
        if (entry.MessageId is { } id && !await MarkSeenAsync(tx, id, entry.RecordedAt, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        await InsertJournalAsync(tx, entry, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Whether a batch (group-commit transaction) is open.</summary>
    public bool InBatch => _batch is not null;

    /// <summary>
    /// Inside an open batch: marks the id seen, or returns false when it already was (a redelivery). The mark
    /// becomes durable with the batch, together with the journal row written by <see cref="JournalAsync"/>.
    /// </summary>
    public async Task<bool> TryMarkAsync(string messageId, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await MarkSeenAsync(OpenBatch(), messageId, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Inside an open batch: journals an outcome (for an id already marked by <see cref="TryMarkAsync"/>).</summary>
    public async Task JournalAsync(JournalEntry entry, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await InsertJournalAsync(OpenBatch(), entry, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteTransaction OpenBatch() => _batch ?? throw new InvalidOperationException("no batch is open: call BeginBatchAsync first");

    /// <summary>Rolls back the open batch, if any (its messages were not acked and will be redelivered).</summary>
    public async Task RollbackBatchAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_batch is { } batch)
            {
                _batch = null;
                await batch.RollbackAsync().ConfigureAwait(false);
                await batch.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Opens a batch: later records share one transaction until <see cref="CommitBatchAsync"/> (group commit).</summary>
    public async Task BeginBatchAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _batch ??= (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Commits the open batch, if any: from here on its records are durable.</summary>
    public async Task CommitBatchAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_batch is { } batch)
            {
                _batch = null;
                await batch.CommitAsync(cancellationToken).ConfigureAwait(false);
                await batch.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
        await PruneIfDueAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_batch is { } batch)
        {
            await batch.DisposeAsync().ConfigureAwait(false); // rolled back: not acked either, so redelivered
        }
        _statements.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
