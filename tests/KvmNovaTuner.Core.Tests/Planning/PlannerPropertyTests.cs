using FsCheck;
using FsCheck.Fluent;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Tests.Planning;

/// <summary>Properties over random flavors, topologies and observed states.</summary>
public sealed class PlannerPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(500);

    [Test]
    public void Plan_AppliedThenPlannedAgain_YieldsNoActions() =>
        Check.One(Config, Prop.ForAll(PlanningGenerators.Cases(), c =>
        {
            var first = TuningPlanner.Create(c.Request, c.Topology, c.Observed);
            var (state, topology) = PlanSimulator.Apply(first, c.Observed, c.Topology);
            var second = TuningPlanner.Create(c.Request, topology, state);
            return second.Actions.Count == 0;
        }));

    [Test]
    public void Plan_NeverPinsToACpuTheHostLacks() =>
        Check.One(Config, Prop.ForAll(PlanningGenerators.Cases(), c =>
        {
            var hostCpus = c.Topology.AllCpus.ToHashSet();
            var plan = TuningPlanner.Create(c.Request, c.Topology, c.Observed);
            return plan.Actions
                .Where(a => a.Settings.ContainsKey("cpuset"))
                .All(a => CpuList.Parse(a.Settings["cpuset"]) is { Count: > 0 } set && set.IsSubsetOf(hostCpus));
        }));

    [Test]
    public void Plan_HugepagePoolsOnlyOnTheHostsNodesAndWithinBudget() =>
        Check.One(Config, Prop.ForAll(PlanningGenerators.Cases(), c =>
        {
            var plan = TuningPlanner.Create(c.Request, c.Topology, c.Observed);
            return plan.OfKind(Plans.ActionKinds.HugepagePool).All(a =>
                c.Topology.CellById(int.Parse(a.Settings["node"])) is { } cell
                && long.Parse(a.Settings["nr_hugepages"]) * long.Parse(a.Settings["page_size_kb"]) <= cell.MemoryKb / 2);
        }));

    [Test]
    public void Plan_EveryActionHasATargetAReasonAndSettings() =>
        Check.One(Config, Prop.ForAll(PlanningGenerators.Cases(), c =>
            TuningPlanner.Create(c.Request, c.Topology, c.Observed).Actions.All(a =>
                a.Settings.Count > 0 && a.Reason.Length > 0 && (a.Target.StartsWith("domain/" + PlanningFixtures.Uuid) || a.Target.StartsWith("port/") || a.Target.StartsWith("node/")))));
}
