namespace KvmNovaTuner.Messaging.Store;

/// <summary>
/// The open group-commit batch of an <see cref="IntakeStore"/>: the journal rows to write at commit, in order,
/// and the message ids reserved so far, so that a second delivery of an id inside the batch is a duplicate
/// before anything is written. Not thread-safe (the store serialises).
/// </summary>
internal sealed class IntakeBatch
{
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);
    private readonly List<JournalEntry> _entries = [];

    public bool IsOpen { get; private set; }

    public IReadOnlyList<JournalEntry> Entries => _entries;

    public void Open() => IsOpen = true;

    /// <summary>Forgets everything held (after a commit, or to discard it).</summary>
    public void Close()
    {
        IsOpen = false;
        _reserved.Clear();
        _entries.Clear();
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
