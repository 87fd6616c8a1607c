using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Planning;

/// <summary>Verifies Nova's vCPU pins and CPU quota, and places the emulator and IO threads on housekeeping CPUs.</summary>
internal static class CpuPlanner
{
    public static void Plan(PlanContext c)
    {
        VerifyVcpuPins(c);
        PlaceThreads(c);
        VerifyScheduler(c);
    }

    private static void VerifyVcpuPins(PlanContext c)
    {
        if (c.Spec.DedicatedVcpus.Count == 0)
        {
            return;
        }
        var policy = $"{SpecKeys.CpuPolicy}={c.Spec.CpuPolicy.ToString().ToLowerInvariant()}";
        if (c.Domain is null || c.Topology.IsUnknown)
        {
            c.Builder.Diagnose(DiagnosticSeverity.Info, SpecKeys.CpuPolicy, $"{policy}: Nova's vCPU pins are verified once the domain and the host topology are observed");
            return;
        }
        var hostCpus = c.Topology.AllCpus.ToHashSet();
        foreach (var vcpu in c.Spec.DedicatedVcpus.Order())
        {
            c.Domain.ConfiguredVcpuPins.TryGetValue(vcpu, out var configured);
            c.Domain.VcpuPins.TryGetValue(vcpu, out var live);
            var expected = CpuList.Parse(configured ?? live);
            if (expected is null)
            {
                c.Builder.Diagnose(DiagnosticSeverity.Warning, SpecKeys.CpuPolicy, $"{policy}: vCPU {vcpu} has no pin in the domain; Nova's pinning is not in effect (fix: hard reboot the instance so Nova regenerates its definition)");
                continue;
            }
            if (!expected.IsSubsetOf(hostCpus))
            {
                c.Builder.Diagnose(DiagnosticSeverity.Error, SpecKeys.CpuPolicy, $"{policy}: vCPU {vcpu} is pinned to {CpuList.Format(expected)}, which this host lacks; not re-applied");
                continue;
            }
            if (expected.Count != 1)
            {
                c.Builder.Diagnose(DiagnosticSeverity.Warning, SpecKeys.CpuPolicy, $"{policy}: dedicated vCPU {vcpu} floats over {CpuList.Format(expected)} instead of one pCPU");
            }
            if (configured is null)
            {
                continue;
            }
            var settings = new Dictionary<string, string> { ["cpuset"] = CpuList.Format(expected) };
            var observed = live is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["cpuset"] = live };
            c.Builder.Add(ActionKinds.VcpuPin, $"{c.DomainTarget}/vcpu/{vcpu}", settings, ActionTiming.Live,
                $"verify {policy}: live pin differs from Nova's configured pin", observed);
        }
    }

    private static void PlaceThreads(PlanContext c)
    {
        var placement = c.Spec.EmulatorPlacement ?? (c.Spec.IsPinned ? EmulatorPlacement.Node : EmulatorPlacement.Nova);
        var ioThreadIds = Enumerable.Range(1, c.Spec.IoThreads ?? 0).ToList();
        foreach (var id in ioThreadIds)
        {
            var observed = c.Domain is null ? null : new Dictionary<string, string> { ["iothread_id"] = c.Domain.IoThreadIds.Contains(id) ? PlanContext.Text(id) : string.Empty };
            c.Builder.Add(ActionKinds.IoThreadAdd, $"{c.DomainTarget}/iothread/{id}", new Dictionary<string, string> { ["iothread_id"] = PlanContext.Text(id) },
                ActionTiming.Live, $"{SpecKeys.IoThreads}={c.Spec.IoThreads}", observed);
        }
        if (placement == EmulatorPlacement.Nova)
        {
            return;
        }
        var cpuset = ThreadCpus(c, placement);
        if (cpuset is null)
        {
            return;
        }
        var reason = $"{SpecKeys.EmulatorPlacement}={placement.ToString().ToLowerInvariant()}: housekeeping CPUs {(placement == EmulatorPlacement.Node ? "of the guest's NUMA node(s)" : "of the host")}";
        if (c.Spec.EmulatorThreadsPolicy != EmulatorThreadsPolicy.Isolate)
        {
            var observed = c.Domain is null ? null : PlanBuilder.Observed("cpuset", c.Domain.EmulatorPin);
            c.Builder.Add(ActionKinds.EmulatorPin, c.DomainTarget, new Dictionary<string, string> { ["cpuset"] = cpuset }, ActionTiming.Live, reason, observed);
        }
        foreach (var id in ioThreadIds.Union(c.Domain?.IoThreadIds ?? []).Order())
        {
            var observed = c.Domain is null ? null : PlanBuilder.Observed("cpuset", c.Domain.IoThreadPins.GetValueOrDefault(id));
            observed?.Add("iothread_id", PlanContext.Text(id));
            c.Builder.Add(ActionKinds.IoThreadPin, $"{c.DomainTarget}/iothread/{id}", new Dictionary<string, string> { ["iothread_id"] = PlanContext.Text(id), ["cpuset"] = cpuset },
                ActionTiming.Live, reason, observed);
        }
    }

    private static string? ThreadCpus(PlanContext c, EmulatorPlacement placement)
    {
        if (c.Topology.IsUnknown)
        {
            c.Builder.Diagnose(DiagnosticSeverity.Info, SpecKeys.EmulatorPlacement, "host topology unknown: emulator and IO threads are not placed");
            return null;
        }
        var cells = placement == EmulatorPlacement.Node ? c.GuestCells() : null;
        var cpus = c.Topology.HousekeepingOn(cells);
        if (cpus.Count == 0 && cells is not null)
        {
            c.Builder.Diagnose(DiagnosticSeverity.Warning, SpecKeys.EmulatorPlacement, $"NUMA node(s) {CpuList.Format(cells)} have no housekeeping CPU; using housekeeping CPUs of other nodes");
            cpus = c.Topology.HousekeepingOn(null);
        }
        if (cpus.Count == 0)
        {
            c.Builder.Diagnose(DiagnosticSeverity.Warning, SpecKeys.EmulatorPlacement, "the host has no housekeeping CPU (every CPU is in Nova's cpu_dedicated_set); fix: configure housekeeping CPUs");
            return null;
        }
        return CpuList.Format(AwayFromPinnedSiblings(c, cpus));
    }

    /// <summary>Housekeeping CPUs that are not SMT siblings of the guest's pinned CPUs, when any remain (a sibling shares the core's caches and pipeline).</summary>
    private static IReadOnlySet<int> AwayFromPinnedSiblings(PlanContext c, IReadOnlySet<int> cpus)
    {
        var pinned = c.PinnedCpus();
        var siblings = pinned
            .SelectMany(cpu => c.Topology.CellOfCpu(cpu)?.SiblingsByCpu.GetValueOrDefault(cpu) ?? [])
            .Where(s => !pinned.Contains(s))
            .ToHashSet();
        var apart = cpus.Where(cpu => !siblings.Contains(cpu)).ToHashSet();
        return apart.Count > 0 ? apart : cpus;
    }

    private static void VerifyScheduler(PlanContext c)
    {
        if (c.Spec.CpuQuota.Count == 0)
        {
            return;
        }
        var settings = c.Spec.CpuQuota.ToDictionary(p => p.Key, p => PlanContext.Text(p.Value));
        c.Builder.Add(ActionKinds.Scheduler, c.DomainTarget, settings, ActionTiming.Live,
            "verify quota:cpu_*: Nova's cputune (live migration drops shares the flavor does not set)", c.Domain?.Scheduler);
    }

}
