using System.Diagnostics;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Agent.Pipeline;

/// <summary>Records how long an executor takes per plan (<c>kvm_nova_tuner_apply_seconds</c>, labelled by the executor's type).</summary>
internal sealed class TimedExecutor(IActionExecutor inner, AgentMetrics metrics) : IActionExecutor
{
    public bool Handles(string kind) => inner.Handles(kind);

    public async Task<IReadOnlyList<ActionResult>> ExecuteAsync(Plan plan, IReadOnlyList<PlanAction> actions, bool dryRun, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var results = await inner.ExecuteAsync(plan, actions, dryRun, cancellationToken).ConfigureAwait(false);
        metrics.ApplySeconds.WithLabels(inner.GetType().Name).Observe(clock.Elapsed.TotalSeconds);
        return results;
    }
}
