using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>Reads an intake journal from outside the process that writes it, and waits (bounded) for it to reach a count.</summary>
public static class JournalProbe
{
    public static async Task<(long Rows, long DistinctIds)> CountAsync(string database)
    {
        if (!File.Exists(database))
        {
            return (0, 0);
        }
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False;Default Timeout=10");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT message_id) FROM journal";
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1 && e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            return (0, 0);
        }
    }

    /// <summary>Polls until the journal holds at least <paramref name="rows"/> rows, or fails after <paramref name="timeout"/>.</summary>
    public static async Task<(long Rows, long DistinctIds)> WaitForAsync(string database, long rows, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var count = await CountAsync(database);
            if (count.Rows >= rows)
            {
                return count;
            }
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"journal {database} reached {count.Rows} rows, not {rows}, within {timeout.TotalSeconds} s");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Rows without a message id and rows of ids journaled more than once: what a failed exactly-once assertion needs to show.</summary>
    public static async Task<string> DescribeExtraRowsAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False;Default Timeout=10");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, message_id, event_type, instance_uuid, status, detail, recorded_at FROM journal
            WHERE message_id IS NULL OR message_id IN (SELECT message_id FROM journal GROUP BY message_id HAVING COUNT(*) > 1)
            ORDER BY message_id, id LIMIT 20
            """;
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = new object[reader.FieldCount];
            reader.GetValues(values);
            lines.Add(string.Join(" | ", values));
        }
        return string.Join('\n', lines);
    }
}
