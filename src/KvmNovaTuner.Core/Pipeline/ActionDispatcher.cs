using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Core.Pipeline;

/// <summary>
/// Hands each action of a plan to the first executor that handles its kind (libvirt, OVSDB, host) and gathers
/// the results in plan order. An action no executor handles is reported as skipped, never silently dropped. A plan
/// with an error diagnostic is refused whole: no executor sees any of its actions (every entry point dispatches here).
/// </summary>
public sealed class ActionDispatcher(IReadOnlyList<IActionExecutor> executors)
{
    public async Task<ApplyResult> ApplyAsync(Plan plan, bool dryRun, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.HasErrors)
        {
            return ApplyResult.Refused(plan);
        }
        var results = new List<ActionResult>(plan.Actions.Count);
        var groups = plan.Actions
            .GroupBy(a => executors.FirstOrDefault(e => e.Handles(a.Kind)))
            .ToList();
        foreach (var group in groups)
        {
            var actions = group.ToList();
            if (group.Key is null)
            {
                results.AddRange(actions.Select(a => new ActionResult(a.Kind, a.Target, ActionStatus.Skipped, null, null,
                    $"no executor for '{a.Kind}' is configured for this run")));
                continue;
            }
            results.AddRange(await group.Key.ExecuteAsync(plan, actions, dryRun, cancellationToken).ConfigureAwait(false));
        }
        var order = plan.Actions.Select((a, i) => (Key: (a.Kind, a.Target), i)).GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().i);
        return new ApplyResult(plan.InstanceUuid, results.OrderBy(r => order.GetValueOrDefault((r.Kind, r.Target), int.MaxValue)).ToList());
    }
}
