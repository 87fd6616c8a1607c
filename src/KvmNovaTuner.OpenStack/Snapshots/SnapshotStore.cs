using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.OpenStack.Snapshots;

/// <summary>The local record of snapshots and recoveries (SQLite, WAL); survives restarts.</summary>
public sealed class SnapshotStore
{
    private readonly string connectionString;

    public SnapshotStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        Execute("""
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS snapshots (image_id TEXT PRIMARY KEY, server_id TEXT NOT NULL, status TEXT NOT NULL,
              size INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS recoveries (id INTEGER PRIMARY KEY AUTOINCREMENT, server_id TEXT NOT NULL, image_id TEXT,
              status TEXT NOT NULL, reason TEXT NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER);
            """);
        // Stores written before automatic recovery existed have no trigger column: every recovery in them was requested.
        if (!Query("SELECT name FROM pragma_table_info('recoveries')", r => r.GetString(0)).Contains("trigger"))
        {
            Execute("ALTER TABLE recoveries ADD COLUMN trigger TEXT NOT NULL DEFAULT 'manual'");
        }
    }

    public void Upsert(SnapshotRecord s) => Execute("""
        INSERT INTO snapshots (image_id, server_id, status, size, created_at, updated_at) VALUES ($id, $server, $status, $size, $created, $updated)
        ON CONFLICT (image_id) DO UPDATE SET status = excluded.status, size = excluded.size, updated_at = excluded.updated_at
        """, ("$id", s.ImageId), ("$server", s.ServerId), ("$status", s.Status), ("$size", s.SizeBytes),
        ("$created", s.CreatedAt.ToUnixTimeMilliseconds()), ("$updated", s.UpdatedAt.ToUnixTimeMilliseconds()));

    public IReadOnlyList<SnapshotRecord> Snapshots(string? serverId = null) => Query(
        "SELECT image_id, server_id, status, size, created_at, updated_at FROM snapshots WHERE $server IS NULL OR server_id = $server ORDER BY created_at DESC",
        r => new SnapshotRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetInt64(3), Time(r.GetInt64(4)), Time(r.GetInt64(5))),
        ("$server", serverId));

    /// <summary>Records a new recovery; <paramref name="trigger"/> is <c>manual</c> or starts with <c>auto</c> (why the agent started it).</summary>
    public long StartRecovery(string serverId, string? imageId, string reason, DateTimeOffset now, string trigger = RecoveryRecord.ManualTrigger)
    {
        using var c = Open();
        using var command = Command(c, "INSERT INTO recoveries (server_id, image_id, status, reason, started_at, trigger) VALUES ($server, $image, 'new', $reason, $now, $trigger); SELECT last_insert_rowid();",
            ("$server", serverId), ("$image", imageId), ("$reason", reason), ("$now", now.ToUnixTimeMilliseconds()), ("$trigger", trigger));
        return (long)command.ExecuteScalar()!;
    }

    public void UpdateRecovery(long id, RecoveryStatus status, string reason, string? imageId, DateTimeOffset? finishedAt) => Execute(
        "UPDATE recoveries SET status = $status, reason = $reason, image_id = COALESCE($image, image_id), finished_at = $finished WHERE id = $id",
        ("$id", id), ("$status", status.ToString().ToLowerInvariant()), ("$reason", reason), ("$image", imageId), ("$finished", finishedAt?.ToUnixTimeMilliseconds()));

    public IReadOnlyList<RecoveryRecord> Recoveries(string? serverId = null) => Query(
        "SELECT id, server_id, image_id, status, reason, started_at, finished_at, trigger FROM recoveries WHERE $server IS NULL OR server_id = $server ORDER BY id DESC",
        r => new RecoveryRecord(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), Enum.Parse<RecoveryStatus>(r.GetString(3), ignoreCase: true),
            r.GetString(4), Time(r.GetInt64(5)), r.IsDBNull(6) ? null : Time(r.GetInt64(6)), r.GetString(7)),
        ("$server", serverId));

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private void Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private List<T> Query<T>(string sql, Func<SqliteDataReader, T> read, params (string Name, object? Value)[] parameters)
    {
        using var connection = Open();
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read()) rows.Add(read(reader));
        return rows;
    }
}
