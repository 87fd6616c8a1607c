using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Store;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>
/// The listener's outcome counts. In group-commit mode it wraps the store's batch: an outcome counts once its
/// batch committed, and a rolled-back batch (its messages requeued and processed again) counts nothing.
/// </summary>
internal sealed class IntakeTally(IBatchCommitter store) : IBatchCommitter
{
    private readonly long[] _totals = new long[4];
    private readonly long[] _pending = new long[4];

    public IntakeCounts Counts => new(Read(IntakeDisposition.Handled), Read(IntakeDisposition.Ignored), Read(IntakeDisposition.Duplicate), Read(IntakeDisposition.Poison));

    /// <summary>Counts an outcome now, or (<paramref name="atCommit"/>) when the open batch commits.</summary>
    public void Count(IntakeDisposition disposition, bool atCommit)
    {
        if (atCommit)
        {
            _pending[(int)disposition]++;
        }
        else
        {
            Interlocked.Increment(ref _totals[(int)disposition]);
        }
    }

    public Task BeginBatchAsync(CancellationToken cancellationToken = default) => store.BeginBatchAsync(cancellationToken);

    public async Task CommitBatchAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await store.CommitBatchAsync(cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < _pending.Length; i++)
            {
                Interlocked.Add(ref _totals[i], _pending[i]);
            }
        }
        finally
        {
            Array.Clear(_pending);
        }
    }

    public Task RollbackBatchAsync()
    {
        Array.Clear(_pending);
        return store.RollbackBatchAsync();
    }

    private long Read(IntakeDisposition disposition) => Interlocked.Read(ref _totals[(int)disposition]);
}
