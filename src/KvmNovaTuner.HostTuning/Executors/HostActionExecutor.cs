using System.Globalization;
using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.HostTuning.Controllers;

namespace KvmNovaTuner.HostTuning.Executors;

/// <summary>
/// Applies the planner's <c>hugepage_pool</c> actions: grows the node's pool to <c>nr_hugepages</c> within the
/// controller's budget, reads it back, and reports a shortage as a failure instead of letting the boot fail.
/// Before/after carry <c>nr_hugepages</c> and <c>free_hugepages</c>.
/// </summary>
public sealed class HostActionExecutor(HugepagePoolWriter writer, HugepagePoolController controller, TimeProvider time) : IActionExecutor
{
    public bool Handles(string kind) => kind == ActionKinds.HugepagePool;

    public async Task<IReadOnlyList<ActionResult>> ExecuteAsync(Plan plan, IReadOnlyList<PlanAction> actions, bool dryRun, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var results = new List<ActionResult>();
        foreach (var action in actions.Where(a => Handles(a.Kind)))
        {
            results.Add(await ExecuteOneAsync(action, dryRun, cancellationToken).ConfigureAwait(false));
        }
        return results;
    }

    private async Task<ActionResult> ExecuteOneAsync(PlanAction action, bool dryRun, CancellationToken cancellationToken)
    {
        if (!TryRead(action, "node", out var node) || !TryRead(action, "page_size_kb", out var size) || !TryRead(action, "nr_hugepages", out var wanted))
        {
            return Result(action, ActionStatus.Failed, null, null, "settings need integer node, page_size_kb and nr_hugepages");
        }
        var pools = await writer.ObserveAsync(cancellationToken).ConfigureAwait(false);
        var pool = pools.FirstOrDefault(p => p.Node == node && p.PageSizeKb == size);
        if (pool is null)
        {
            return Result(action, ActionStatus.Failed, null, null, $"node {node} offers no {size} kB hugepage pool");
        }
        var before = Counts(pool.Total, pool.Free);
        // a dry run judges against the same budget without touching the controller's grace timers
        var decision = dryRun
            ? HugepagePoolPolicy.Grow((int)node, size, wanted, pools, controller.Budget)
            : controller.Grow(time.GetUtcNow(), (int)node, size, wanted, pools);
        if (!decision.Changes)
        {
            var status = decision.ShortagePages > 0 ? ActionStatus.Failed : ActionStatus.Unchanged;
            return Result(action, status, before, before, decision.Reason);
        }
        if (dryRun)
        {
            return Result(action, ActionStatus.Skipped, before, Counts(decision.NewTotal, pool.Free + decision.NewTotal - pool.Total), "dry run: " + decision.Reason);
        }
        var written = await writer.WriteAsync(decision, cancellationToken).ConfigureAwait(false);
        var after = Counts(written.TotalAfter, written.FreeAfter);
        if (written.Shortfall > 0)
        {
            return Result(action, ActionStatus.Failed, before, after,
                $"asked for {decision.NewTotal} pages, the kernel granted {written.TotalAfter}: {written.Shortfall + decision.ShortagePages} pages short");
        }
        return Result(action, decision.ShortagePages > 0 ? ActionStatus.Failed : ActionStatus.Applied, before, after, decision.Reason);
    }

    private static Dictionary<string, string> Counts(long total, long free) => new()
    {
        ["nr_hugepages"] = total.ToString(CultureInfo.InvariantCulture),
        ["free_hugepages"] = free.ToString(CultureInfo.InvariantCulture),
    };

    private static bool TryRead(PlanAction action, string key, out long value)
    {
        value = 0;
        return action.Settings.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static ActionResult Result(PlanAction action, ActionStatus status, IReadOnlyDictionary<string, string>? before, IReadOnlyDictionary<string, string>? after, string message) =>
        new(action.Kind, action.Target, status, before, after, message);
}
