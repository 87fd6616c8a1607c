using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;

namespace KvmNovaTuner.Core.Planning;

/// <summary>Verifies Nova's strict NUMA memory policy and plans the KSM opt-out (<c>nosharepages</c>).</summary>
internal static class MemoryPlanner
{
    public static void Plan(PlanContext c)
    {
        VerifyNumaTune(c);
        NumaDrift.Report(c);
        NoSharePages(c);
    }

    private static void VerifyNumaTune(PlanContext c)
    {
        if (!c.Spec.HasNumaTopology)
        {
            return;
        }
        var settings = new Dictionary<string, string> { ["numa_mode"] = "strict" };
        Dictionary<string, string>? observed = null;
        if (c.Domain is not null)
        {
            observed = [];
            if (c.Domain.NumaMode is { } mode)
            {
                observed["numa_mode"] = mode;
            }
            // Expected: the cells Nova placed the guest on (its persistent definition), never the running domain's own value.
            if ((c.Domain.ConfiguredNumaNodeset ?? c.Domain.NumaNodeset) is { } placed)
            {
                settings["numa_nodeset"] = placed;
            }
            if (c.Domain.NumaNodeset is { } nodeset)
            {
                observed["numa_nodeset"] = nodeset;
            }
        }
        c.Builder.Add(ActionKinds.NumaTune, c.DomainTarget, settings, ActionTiming.NextBoot,
            "verify Nova's guest NUMA topology: memory bound strictly to the guest's node(s) (the mode cannot change live)", observed);
    }

    private static void NoSharePages(PlanContext c)
    {
        if (c.Spec.Ksm is not { } ksm)
        {
            return;
        }
        if (ksm && c.Spec.Realtime)
        {
            c.Builder.Diagnose(DiagnosticSeverity.Warning, SpecKeys.Ksm, "tuner:ksm=on is ignored: Nova keeps realtime guests out of KSM (nosharepages)");
            return;
        }
        var wanted = ksm ? "false" : "true";
        var observed = c.Domain is null ? null : new Dictionary<string, string> { ["nosharepages"] = c.Domain.NoSharePages ? "true" : "false" };
        c.Builder.Add(ActionKinds.MemoryBacking, c.DomainTarget, new Dictionary<string, string> { ["nosharepages"] = wanted }, ActionTiming.NextBoot,
            $"{SpecKeys.Ksm}={(ksm ? "on" : "off")}: {(ksm ? "allow" : "forbid")} KSM page merging for this guest from its next cold boot", observed);
    }
}
