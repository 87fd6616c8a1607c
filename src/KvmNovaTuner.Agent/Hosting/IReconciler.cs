namespace KvmNovaTuner.Agent.Hosting;

/// <summary>The periodic (and start-up) scan of local domains that re-applies drifted tuning.</summary>
public interface IReconciler
{
    Task<ReconcileSummary> ReconcileAsync(CancellationToken cancellationToken = default);
}

/// <summary>What one scan found: domains examined, domains repaired, failures, and the settings repaired by action kind.</summary>
public sealed record ReconcileSummary(int Domains, int Repaired, int Failed, IReadOnlyDictionary<string, int>? RepairedKinds = null);

/// <summary>A reconciler that does nothing, used until a real one is wired.</summary>
public sealed class NoReconciler : IReconciler
{
    public Task<ReconcileSummary> ReconcileAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new ReconcileSummary(0, 0, 0));
}
