using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.Integration.Tests.EndToEnd;

/// <summary>One row of the agent's intake journal, read from outside the agent process.</summary>
internal sealed record JournalRow(string? MessageId, string? EventType, string? InstanceUuid, string Status, string Detail)
{
    /// <summary>Every journal row (empty while the journal does not exist yet).</summary>
    public static async Task<IReadOnlyList<JournalRow>> ReadAsync(string database)
    {
        if (!File.Exists(database)) return [];
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False;Default Timeout=10");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT message_id, event_type, instance_uuid, status, detail FROM journal ORDER BY id";
        var rows = new List<JournalRow>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
                rows.Add(new JournalRow(Text(0), Text(1), Text(2), reader.GetString(3), reader.GetString(4)));
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 1)
        {
            return []; // the agent has not created its tables yet
        }
        return rows;
    }

    /// <summary>Polls until every server has a journaled <c>instance.create.end</c>, or fails after <paramref name="timeout"/>.</summary>
    public static async Task<IReadOnlyList<JournalRow>> WaitForCreateEndAsync(string database, IReadOnlyCollection<string> serverIds, TimeSpan timeout, Func<string> diagnostics)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var rows = await ReadAsync(database);
            var missing = serverIds.Where(id => !rows.Any(r => r.EventType == "instance.create.end" && r.InstanceUuid == id)).ToList();
            if (missing.Count == 0) return rows;
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"no journaled instance.create.end within {timeout.TotalSeconds} s for {string.Join(", ", missing)}\n{diagnostics()}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public override string ToString() => $"{MessageId} {EventType} {InstanceUuid}: {Status} ({Detail})";
}
