using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.Messaging.Store;

/// <summary>
/// The open group-commit batch of an <see cref="IntakeStore"/>: its transaction (BEGIN IMMEDIATE, held from the
/// first record to the commit, so the per-message lookups run without taking SQLite's locks each time), the
/// journal rows to append at commit, in order, and the message ids reserved so far, so that a second delivery of
/// an id inside the batch is a duplicate before anything is written. Not thread-safe (the store serialises).
/// </summary>
internal sealed class IntakeBatch
{
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);
    private readonly List<JournalEntry> _entries = [];

    public SqliteTransaction? Transaction { get; private set; }

    public bool IsOpen => Transaction is not null;

    public IReadOnlyList<JournalEntry> Entries => _entries;

    public void Open(SqliteTransaction transaction) => Transaction = transaction;

    /// <summary>Forgets everything held; the transaction, unless committed, rolls back.</summary>
    public async Task CloseAsync()
    {
        var transaction = Transaction;
        Transaction = null;
        _reserved.Clear();
        _entries.Clear();
        if (transaction is not null)
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }
    }

    public bool Holds(string messageId) => IsOpen && _reserved.Contains(messageId);

    /// <summary>False when the id is already reserved in this batch.</summary>
    public bool Reserve(string messageId) => _reserved.Add(messageId);

    public void Add(JournalEntry entry)
    {
        if (entry.MessageId is { } id)
        {
            _reserved.Add(id);
        }
        _entries.Add(entry);
    }
}
