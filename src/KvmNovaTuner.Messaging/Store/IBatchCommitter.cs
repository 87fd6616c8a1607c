namespace KvmNovaTuner.Messaging.Store;

/// <summary>Group commit: a consumer opens a batch, records several outcomes, commits once, then acks them all.</summary>
public interface IBatchCommitter
{
    Task BeginBatchAsync(CancellationToken cancellationToken = default);
    Task CommitBatchAsync(CancellationToken cancellationToken = default);

    /// <summary>Discards the open batch, if any: none of its outcomes is durable (their messages must be requeued).</summary>
    Task RollbackBatchAsync();
}
