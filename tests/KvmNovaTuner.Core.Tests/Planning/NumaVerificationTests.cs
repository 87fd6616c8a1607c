using KvmNovaTuner.Core.Plans;
using static KvmNovaTuner.Core.Tests.Planning.PlanningFixtures;

namespace KvmNovaTuner.Core.Tests.Planning;

/// <summary>NUMA verification against the cells Nova placed the guest on (its persistent definition), not the running domain's own values.</summary>
public sealed class NumaVerificationTests
{
    private static readonly (string, string)[] Flavor = [("hw:numa_nodes", "1"), ("hw:cpu_policy", "dedicated"), ("tuner:emulator_placement", "node")];

    [Test]
    public void NumaTune_LiveNodesetDriftedFromNovasPlacement_IsPlannedBackToNovasNodeset()
    {
        var domain = Domain(d => d with { NumaMode = "strict", NumaNodeset = "1", ConfiguredNumaNodeset = "0" });

        var action = Plan(Request(Flavor), observed: With(domain)).OfKind(ActionKinds.NumaTune).Single();

        Assert.That(action.Settings["numa_nodeset"], Is.EqualTo("0"), "the expected nodeset is Nova's, so a drifted guest can fail the check");
    }

    [Test]
    public void NumaTune_RunningAsNovaPlacedIt_IsNotPlanned()
    {
        var domain = Domain(d => d with { NumaMode = "strict", NumaNodeset = "0", ConfiguredNumaNodeset = "0" });

        Assert.That(Plan(Request(Flavor), observed: With(domain)).OfKind(ActionKinds.NumaTune), Is.Empty);
    }

    [Test]
    public void Drift_VcpuAndEmulatorOutsideTheBoundNode_AreReportedNamingThreadCpuAndNode()
    {
        // Host2x4: node 0 = CPUs 0-3 (housekeeping 0), node 1 = CPUs 4-7 (housekeeping 4).
        var pins = new Dictionary<int, string> { [0] = "1", [1] = "2", [2] = "3", [3] = "5" };
        var domain = Domain(d => d with
        {
            NumaMode = "strict", NumaNodeset = "0", ConfiguredNumaNodeset = "0", VcpuPins = pins, ConfiguredVcpuPins = pins, EmulatorPin = "5",
        });

        var drift = Plan(Request(Flavor), observed: With(domain)).Diagnostics.Where(d => d.Key == "numa").Select(d => d.Message).ToList();

        Assert.That(drift, Does.Contain("drift: vCPU 3 runs on CPU 5 (node 1), outside the CPUs of node(s) 0 its memory is bound to"));
        Assert.That(drift, Does.Contain("drift: emulator thread runs on CPU 5 (node 1), outside the housekeeping CPUs 0 of node(s) 0"));
        Assert.That(drift, Has.Count.EqualTo(2));
    }

    [Test]
    public void Drift_NoneWhenEveryThreadIsWhereNovaAndTheFlavorPutIt()
    {
        var pins = new Dictionary<int, string> { [0] = "1", [1] = "2", [2] = "3", [3] = "1" };
        var domain = Domain(d => d with
        {
            NumaMode = "strict", NumaNodeset = "0", ConfiguredNumaNodeset = "0", VcpuPins = pins, ConfiguredVcpuPins = pins, EmulatorPin = "0",
        });

        Assert.That(Plan(Request(Flavor), observed: With(domain)).Diagnostics.Where(d => d.Key == "numa"), Is.Empty);
    }
}
