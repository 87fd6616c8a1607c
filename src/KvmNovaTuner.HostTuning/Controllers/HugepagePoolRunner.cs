using KvmNovaTuner.Core.HostProfile;

namespace KvmNovaTuner.HostTuning.Controllers;

/// <summary>
/// The thin edge of the hugepage pool controller's release side: observes every pool, asks the pure
/// <see cref="HugepagePoolController"/> which unused pages have waited out their grace, and shrinks those pools.
/// (Growth happens per boot through <see cref="Executors.HostActionExecutor"/>.)
/// </summary>
public sealed class HugepagePoolRunner(HugepagePoolWriter writer, HugepagePoolController controller, TimeProvider time, IGuestMemorySource? guests = null)
{
    /// <summary>One controller step; returns each pool it shrank with the pool as read back.</summary>
    public async Task<IReadOnlyList<(PoolDecision Decision, PoolWriteResult Written)>> StepAsync(CancellationToken cancellationToken = default)
    {
        var pools = await writer.ObserveAsync(cancellationToken).ConfigureAwait(false);
        // Pages promised to guests that are not running yet, or not touched yet, are never released.
        var needs = guests is null ? [] : (await guests.GetAsync(cancellationToken).ConfigureAwait(false)).Hugepages;
        var written = new List<(PoolDecision, PoolWriteResult)>();
        foreach (var decision in controller.Tick(time.GetUtcNow(), pools, needs))
        {
            written.Add((decision, await writer.WriteAsync(decision, cancellationToken).ConfigureAwait(false)));
        }
        return written;
    }
}
