using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace KvmNovaTuner.Messaging.Store;

/// <summary>
/// The store's per-message statements, prepared once on the connection's native handle and bound by position:
/// the on-disk dedupe lookup, the journal insert run at commit, and the check for another writer's commits.
/// (ADO.NET binds parameters by name on every execution and wraps each in a data reader — microseconds a
/// message that this path avoids.) Callers serialise; the connection's transaction, if any, applies.
/// </summary>
internal sealed class IntakeStatements : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _isSeen;
    private readonly sqlite3_stmt _insert;
    private readonly sqlite3_stmt _dataVersion;

    public IntakeStatements(SqliteConnection connection)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        _isSeen = Prepare("SELECT 1 FROM dedupe WHERE message_id = ?1");
        _insert = Prepare("""
            INSERT INTO journal (message_id, event_type, instance_uuid, host, status, detail, recorded_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            """);
        _dataVersion = Prepare("PRAGMA data_version");
    }

    /// <summary>Whether the merged dedupe index holds this message id.</summary>
    public bool IsMerged(string messageId)
    {
        try
        {
            Check(raw.sqlite3_bind_text(_isSeen, 1, messageId));
            var rc = raw.sqlite3_step(_isSeen);
            return rc == raw.SQLITE_ROW || (rc != raw.SQLITE_DONE && Fail(rc));
        }
        finally
        {
            raw.sqlite3_reset(_isSeen);
        }
    }

    /// <summary>Appends one journal row.</summary>
    public void Insert(JournalEntry e)
    {
        try
        {
            BindText(1, e.MessageId);
            BindText(2, e.EventType);
            BindText(3, e.InstanceUuid);
            BindText(4, e.Host);
            BindText(5, e.Status);
            BindText(6, e.Detail);
            Check(raw.sqlite3_bind_int64(_insert, 7, e.RecordedAt.ToUnixTimeMilliseconds()));
            var rc = raw.sqlite3_step(_insert);
            if (rc != raw.SQLITE_DONE)
            {
                Fail(rc);
            }
        }
        finally
        {
            raw.sqlite3_reset(_insert);
        }
    }

    /// <summary>Changes whenever another connection (another process) commits to the database file.</summary>
    public long DataVersion()
    {
        try
        {
            var rc = raw.sqlite3_step(_dataVersion);
            if (rc != raw.SQLITE_ROW)
            {
                Fail(rc);
            }
            return raw.sqlite3_column_int64(_dataVersion, 0);
        }
        finally
        {
            raw.sqlite3_reset(_dataVersion);
        }
    }

    private void BindText(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_insert, index) : raw.sqlite3_bind_text(_insert, index, value));

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var statement));
        return statement;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            Fail(rc);
        }
    }

    private bool Fail(int rc)
    {
        SqliteException.ThrowExceptionForRC(rc, _db);
        throw new SqliteException($"SQLite error {rc}", rc);
    }

    public void Dispose()
    {
        _isSeen.Dispose();
        _insert.Dispose();
        _dataVersion.Dispose();
    }
}
