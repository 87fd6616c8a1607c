using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Libvirt.Execution;

/// <summary>The live path: read before, change only what differs, read back.</summary>
public sealed partial class LibvirtActionExecutor
{
    private static ActionResult ApplyLive(ILiveTunable tunable, LibvirtDomain domain, ActionTarget target, PlanAction action, bool dryRun)
    {
        var wanted = action.Settings;
        var before = tunable.Read(domain, target, wanted, DomainImpact.Current);
        var differs = SettingComparer.Differences(wanted, before);
        if (differs.Count == 0)
        {
            return new ActionResult(action.Kind, action.Target, ActionStatus.Unchanged, before, before, "already in effect");
        }
        if (dryRun)
        {
            return new ActionResult(action.Kind, action.Target, ActionStatus.Skipped, before, wanted, $"dry run: would set {SettingComparer.Describe(differs, before)}");
        }

        var active = domain.IsActive;
        var impact = active ? DomainImpact.Live | DomainImpact.Config : DomainImpact.Config;
        var note = active ? "live and persistent" : "persistent (domain not running)";
        var pendingRestart = false;
        if (active && (action.When == ActionTiming.NextBoot || (action.Kind == ActionKinds.NumaTune && differs.ContainsKey("numa_mode"))))
        {
            // The plan asks for the next start only, or libvirt never changes it live (the NUMA memory mode).
            impact = DomainImpact.Config;
            note = "cannot change on a running domain; written to the persistent definition for the next cold start";
            pendingRestart = true;
        }
        try
        {
            tunable.Write(domain, target, differs, impact);
        }
        catch (LibvirtException e) when (e.IsUnsupportedFlags)
        {
            tunable.Write(domain, target, differs, DomainImpact.Current);
            impact = DomainImpact.Current;
            note = $"the driver refused the live/config flags ({e.LibvirtMessage}); applied to the current state only";
            pendingRestart = false;
        }

        var after = tunable.Read(domain, target, wanted, impact == DomainImpact.Config ? DomainImpact.Config : DomainImpact.Current);
        var drift = SettingComparer.Differences(wanted, after);
        if (drift.Count > 0)
        {
            return new ActionResult(action.Kind, action.Target, ActionStatus.Failed, before, after,
                $"read back differs from the plan: {SettingComparer.Describe(drift, after)}");
        }
        return new ActionResult(action.Kind, action.Target, pendingRestart ? ActionStatus.PendingRestart : ActionStatus.Applied, before, after, note);
    }
}
