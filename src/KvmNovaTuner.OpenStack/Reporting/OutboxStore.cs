using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.OpenStack.Reporting;

/// <summary>One pending metadata write (a null value deletes the key). <see cref="Version"/> changes whenever the value is replaced.</summary>
public sealed record OutboxItem(string ServerId, string Key, string? Value, long Version, int Attempts, DateTimeOffset NotBefore, string? LastError);

/// <summary>
/// The durable outbox behind the reporter (SQLite, WAL). One row per server and key: a newer value replaces
/// an unsent older one (coalescing), a row is removed only when the exact version that was sent succeeded,
/// and rows survive a restart.
/// </summary>
public sealed class OutboxStore
{
    private readonly string connectionString;

    public OutboxStore(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS outbox (
              server_id TEXT NOT NULL, key TEXT NOT NULL, value TEXT, version INTEGER NOT NULL,
              attempts INTEGER NOT NULL DEFAULT 0, not_before INTEGER NOT NULL, last_error TEXT,
              PRIMARY KEY (server_id, key));
            """);
    }

    /// <summary>Queues the latest value for a server's key, replacing any unsent one.</summary>
    public void Put(string serverId, string key, string? value, DateTimeOffset now)
    {
        using var connection = Open();
        Execute(connection, """
            INSERT INTO outbox (server_id, key, value, version, attempts, not_before, last_error)
            VALUES ($server, $key, $value, 1, 0, $now, NULL)
            ON CONFLICT (server_id, key) DO UPDATE SET value = excluded.value, version = outbox.version + 1,
              attempts = 0, not_before = excluded.not_before, last_error = NULL;
            """, ("$server", serverId), ("$key", key), ("$value", value), ("$now", now.ToUnixTimeMilliseconds()));
    }

    /// <summary>Rows whose retry time has come, oldest first.</summary>
    public IReadOnlyList<OutboxItem> Due(DateTimeOffset now, int limit = 100)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT server_id, key, value, version, attempts, not_before, last_error FROM outbox WHERE not_before <= $now ORDER BY not_before LIMIT $limit";
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$limit", limit);
        return Read(command);
    }

    public IReadOnlyList<OutboxItem> All()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT server_id, key, value, version, attempts, not_before, last_error FROM outbox ORDER BY not_before";
        return Read(command);
    }

    /// <summary>When the next row becomes due (null when the outbox is empty).</summary>
    public DateTimeOffset? NextDue()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT MIN(not_before) FROM outbox";
        return command.ExecuteScalar() is long ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    /// <summary>Removes the row if it still holds the version that was sent (a newer value stays queued).</summary>
    public void Complete(OutboxItem item)
    {
        using var connection = Open();
        Execute(connection, "DELETE FROM outbox WHERE server_id = $server AND key = $key AND version = $version",
            ("$server", item.ServerId), ("$key", item.Key), ("$version", item.Version));
    }

    /// <summary>Records a failed attempt and when to try again (only if no newer value replaced it).</summary>
    public void Reschedule(OutboxItem item, DateTimeOffset notBefore, string error)
    {
        using var connection = Open();
        Execute(connection, """
            UPDATE outbox SET attempts = attempts + 1, not_before = $notBefore, last_error = $error
            WHERE server_id = $server AND key = $key AND version = $version
            """, ("$server", item.ServerId), ("$key", item.Key), ("$version", item.Version),
            ("$notBefore", notBefore.ToUnixTimeMilliseconds()), ("$error", error));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    private static List<OutboxItem> Read(SqliteCommand command)
    {
        var items = new List<OutboxItem>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            items.Add(new OutboxItem(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetInt64(3), reader.GetInt32(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }
        return items;
    }
}
