using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Core.Pipeline;

/// <summary>
/// An edge that applies the actions of a plan it understands (libvirt, OVSDB, host). Each action is
/// idempotent, records the value it replaced, and is read back; one failure never stops the others.
/// </summary>
public interface IActionExecutor
{
    /// <summary>True when this executor applies actions of <paramref name="kind"/>.</summary>
    bool Handles(string kind);

    /// <summary>Applies (or, with <paramref name="dryRun"/>, only compares) the given actions of one plan.</summary>
    Task<IReadOnlyList<ActionResult>> ExecuteAsync(
        Plan plan,
        IReadOnlyList<PlanAction> actions,
        bool dryRun,
        CancellationToken cancellationToken = default);
}
