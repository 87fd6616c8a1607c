namespace KvmNovaTuner.Messaging.Store;

/// <summary>One row of the intake journal: what happened to one message, and why.</summary>
/// <param name="MessageId">The oslo message id (null only for a message too broken to carry one).</param>
/// <param name="Status">accepted, ignored, dead-lettered, failed, or the handler's status (applied, partial, ...).</param>
public sealed record JournalEntry(
    string? MessageId,
    string? EventType,
    string? InstanceUuid,
    string? Host,
    string Status,
    string Detail,
    DateTimeOffset RecordedAt);
