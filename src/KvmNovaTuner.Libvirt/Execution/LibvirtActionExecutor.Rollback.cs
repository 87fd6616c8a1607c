using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Libvirt.Execution;

/// <summary>Undo: every applied (or pending-restart) result is re-applied with its recorded before values.</summary>
public sealed partial class LibvirtActionExecutor
{
    /// <summary>Writes back the before values of <paramref name="results"/>, newest change first.</summary>
    public async Task<IReadOnlyList<ActionResult>> RollbackAsync(IReadOnlyList<ActionResult> results, CancellationToken cancellationToken = default)
    {
        var changed = results
            .Where(r => r.Status is ActionStatus.Applied or ActionStatus.PendingRestart && r.Before is not null && Handles(r.Kind))
            .Reverse()
            .ToList();
        var undo = changed.Select(UndoAction).Where(a => a.Settings.Count > 0).ToList();
        var plan = new Plan(null, "rollback", null, undo, []);
        var restored = await ExecuteAsync(plan, undo, dryRun: false, cancellationToken).ConfigureAwait(false);
        return restored.Concat(changed.Select(Unrestorable).OfType<ActionResult>()).ToList();
    }

    /// <summary>
    /// A value that was absent before (a NUMA nodeset never set, a scheduler parameter the driver did not report)
    /// cannot be written back through libvirt's API: say so instead of pretending the rollback covered it.
    /// </summary>
    private static ActionResult? Unrestorable(ActionResult result)
    {
        if (ActionKindsWithRemovableValues.Contains(result.Kind))
        {
            return null;
        }
        var absent = result.Before!.Where(b => b.Value.Length == 0).Select(b => b.Key).ToList();
        return absent.Count == 0
            ? null
            : new ActionResult(result.Kind, result.Target, ActionStatus.Skipped, result.After, result.After,
                $"cannot restore {string.Join(", ", absent)}: it had no value before and libvirt has no call that clears it");
    }

    private static PlanAction UndoAction(ActionResult result)
    {
        var before = result.Before!;
        var target = result.Target;
        if (result.Kind == ActionKinds.IoThreadAdd && before.GetValueOrDefault("iothread_id", "").Length == 0 &&
            result.After?.GetValueOrDefault("iothread_id") is { Length: > 0 } added && ActionTarget.Parse(target).Part is null)
        {
            // The action named its IO thread only in its settings; the undo must name it in the target.
            target = $"{target}/iothread/{added}";
        }
        // Parameters the driver did not report (empty before) cannot be written back; the others can.
        var settings = ActionKindsWithRemovableValues.Contains(result.Kind)
            ? before
            : before.Where(b => b.Value.Length > 0).ToDictionary(b => b.Key, b => b.Value);
        var when = NextBoot.Contains(result.Kind) ? ActionTiming.NextBoot : ActionTiming.Live;
        return new PlanAction(result.Kind, target, settings, when, "rollback to the recorded value");
    }

    /// <summary>Kinds where an empty before value means "absent" and rolling back removes it.</summary>
    private static readonly HashSet<string> ActionKindsWithRemovableValues =
        new(StringComparer.Ordinal) { ActionKinds.DiskDriver, ActionKinds.IoThreadAdd };
}
