using System.Globalization;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Planning;

/// <summary>Everything one planning step reads, plus the builder it writes to.</summary>
internal sealed record PlanContext(
    PlanRequest Request,
    HostTopology Topology,
    ObservedState Observed,
    PlannerOptions Options,
    PlanBuilder Builder)
{
    public TuningSpec Spec => Request.Spec;

    public DomainState? Domain => Observed.Domain;

    public string DomainTarget => $"domain/{Request.InstanceUuid}";

    public static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The host CPUs the guest's vCPUs are pinned to: Nova's configured pin, else the live one (a drifted
    /// live pin is repaired to the configured one, so placement must not follow the drift).</summary>
    public IReadOnlySet<int> PinnedCpus()
    {
        if (Domain is null)
        {
            return new HashSet<int>();
        }
        return Domain.VcpuPins.Keys.Union(Domain.ConfiguredVcpuPins.Keys)
            .Select(v => Domain.ConfiguredVcpuPins.GetValueOrDefault(v) ?? Domain.VcpuPins.GetValueOrDefault(v))
            .Select(CpuList.Parse).OfType<IReadOnlySet<int>>()
            .SelectMany(s => s)
            .ToHashSet();
    }

    /// <summary>The host cells the guest lives on: those of its pinned CPUs, else its memory nodeset, else null (unknown).</summary>
    public IReadOnlySet<int>? GuestCells()
    {
        if (Domain is null || Topology.IsUnknown)
        {
            return null;
        }
        var pinned = PinnedCpus().Select(Topology.CellOfCpu).OfType<NumaCell>().Select(c => c.Id).ToHashSet();
        if (pinned.Count > 0)
        {
            return pinned;
        }
        var nodeset = CpuList.Parse(Domain.NumaNodeset);
        return nodeset is { Count: > 0 } ? nodeset.Where(n => Topology.CellById(n) is not null).ToHashSet() : null;
    }
}
