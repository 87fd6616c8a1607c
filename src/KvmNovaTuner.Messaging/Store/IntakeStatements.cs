using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.Messaging.Store;

/// <summary>The store's hot statements, created once per connection and reused (no SQL parsing per message).</summary>
internal sealed class IntakeStatements : IDisposable
{
    public IntakeStatements(SqliteConnection connection)
    {
        IsSeen = Create(connection, "SELECT 1 FROM seen WHERE message_id = $id", "$id");
        MarkSeen = Create(connection, "INSERT INTO seen (message_id, seen_at) VALUES ($id, $at) ON CONFLICT DO NOTHING", "$id", "$at");
        InsertJournal = Create(connection, """
            INSERT INTO journal (message_id, event_type, instance_uuid, host, status, detail, recorded_at)
            VALUES ($id, $type, $instance, $host, $status, $detail, $at)
            """, "$id", "$type", "$instance", "$host", "$status", "$detail", "$at");
    }

    public SqliteCommand IsSeen { get; }
    public SqliteCommand MarkSeen { get; }
    public SqliteCommand InsertJournal { get; }

    /// <summary>Binds values in parameter order (null becomes SQL NULL) and the transaction to use.</summary>
    public static SqliteCommand Bind(SqliteCommand command, SqliteTransaction? tx, params object?[] values)
    {
        command.Transaction = tx;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        return command;
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        return command;
    }

    public void Dispose()
    {
        IsSeen.Dispose();
        MarkSeen.Dispose();
        InsertJournal.Dispose();
    }
}
