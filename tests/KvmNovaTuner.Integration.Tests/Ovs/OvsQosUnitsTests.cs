using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Qos;

namespace KvmNovaTuner.Integration.Tests.Ovs;

/// <summary>
/// Every combination of the <c>quota:vif_*</c> keys, turned into plan settings the way reference/nova.md
/// defines (kilobytes/s ×8 → kbit/s policing, ×8000 → bit/s htb rates, kibibytes ×8192 → htb burst bits),
/// lands in the right OVS columns with the right units, on kernel ports (linux-htb) and DPDK ports
/// (egress-policer: cir bytes/s = average ×1000, cbs bytes = burst ×1024).
/// </summary>
public sealed class OvsQosUnitsTests
{
    private const long OutAverage = 1250, OutBurst = 3000, InAverage = 5000, InPeak = 7500, InBurst = 4096;

    public static IEnumerable<TestCaseData> Combinations()
    {
        foreach (var portType in new[] { "", "dpdkvhostuserclient" })
        {
            foreach (var (outAvg, outBurst) in new (long?, long?)[] { (null, null), (OutAverage, null), (OutAverage, OutBurst) })
            {
                foreach (var (inAvg, inPeak, inBurst) in new (long?, long?, long?)[] { (null, null, null), (InAverage, null, null), (InAverage, InPeak, null), (InAverage, null, InBurst), (InAverage, InPeak, InBurst) })
                {
                    if (outAvg is null && inAvg is null)
                    {
                        continue;
                    }
                    yield return new TestCaseData(portType, outAvg, outBurst, inAvg, inPeak, inBurst)
                        .SetName($"Apply_{(portType == "" ? "Kernel" : "Dpdk")}Port_out({outAvg},{outBurst})_in({inAvg},{inPeak},{inBurst})_StoresOvsUnits");
                }
            }
        }
    }

    [TestCaseSource(nameof(Combinations))]
    public async Task Apply_FlavorKeys_StoreOvsUnits(string portType, long? outAvg, long? outBurst, long? inAvg, long? inPeak, long? inBurst)
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress(), new OvsQosOptions { RepairDrift = false });
        var bed = await OvsTestBed.CreateAsync(type: portType);
        var tap = bed.Taps[0];
        var actions = new List<PlanAction>();
        if (outAvg is { } oa)
        {
            actions.Add(OvsTestBed.Policing(tap, oa * 8, (outBurst ?? 0) * 8));
        }
        if (inAvg is { } ia)
        {
            actions.Add(OvsTestBed.Htb(tap, ia * 8000, (inPeak ?? ia) * 8000, inBurst * 8192));
        }

        var results = await bed.ApplyAsync(executor, [.. actions]);

        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(ActionStatus.Applied), string.Join("; ", results.Select(r => r.Message)));
        Assert.Multiple(async () =>
        {
            Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_rate"), Is.EqualTo($"{(outAvg ?? 0) * 8}"));
            Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_burst"), Is.EqualTo($"{(outBurst ?? 0) * 8}"));
            var qos = await bed.GetAsync("Port", tap, "qos");
            if (inAvg is null)
            {
                Assert.That(qos, Is.EqualTo("[]"));
                return;
            }
            if (portType.Length > 0)
            {
                Assert.That(await bed.GetAsync("QoS", qos, "type"), Is.EqualTo("egress-policer"));
                Assert.That(await bed.GetAsync("QoS", qos, "other_config:cir"), Is.EqualTo($"{inAvg * 1000}"));
                var cbs = await bed.VsctlAsync("--if-exists", "get", "QoS", qos, "other_config:cbs");
                Assert.That(cbs.Trim('"'), Is.EqualTo(inBurst is { } b ? $"{b * 1024}" : ""));
                Assert.That(await bed.GetAsync("QoS", qos, "queues"), Is.EqualTo("{}"));
                return;
            }
            Assert.That(await bed.GetAsync("QoS", qos, "type"), Is.EqualTo("linux-htb"));
            Assert.That(await bed.GetAsync("QoS", qos, "other_config:max-rate"), Is.EqualTo($"{(inPeak ?? inAvg) * 8000}"));
            var queue = await bed.GetAsync("QoS", qos, "queues:0");
            Assert.That(await bed.GetAsync("Queue", queue, "other_config:min-rate"), Is.EqualTo($"{inAvg * 8000}"));
            Assert.That(await bed.GetAsync("Queue", queue, "other_config:max-rate"), Is.EqualTo($"{(inPeak ?? inAvg) * 8000}"), "no peak: capped at the average");
            var burst = await bed.VsctlAsync("--if-exists", "get", "Queue", queue, "other_config:burst");
            Assert.That(burst.Trim('"'), Is.EqualTo(inBurst is { } ib ? $"{ib * 8192}" : ""));
        });
        await bed.CleanupAsync(executor);
    }

    [Test]
    public async Task Apply_PlannerEgressPolicerOnDpdkPort_StoresCirAndCbsAsGiven()
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress(), new OvsQosOptions { RepairDrift = false });
        var bed = await OvsTestBed.CreateAsync(type: "dpdkvhostuser");
        var tap = bed.Taps[0];
        var action = new PlanAction(ActionKinds.OvsQos, $"port/{tap}",
            new Dictionary<string, string> { ["type"] = "egress-policer", ["cir"] = "625000", ["cbs"] = "65536" }, ActionTiming.Live, "test");

        var results = await bed.ApplyAsync(executor, action);

        Assert.That(results.Single().Status, Is.EqualTo(ActionStatus.Applied), results.Single().Message);
        var qos = await bed.GetAsync("Port", tap, "qos");
        Assert.That(await bed.GetAsync("QoS", qos, "other_config"), Is.EqualTo("{cbs=\"65536\", cir=\"625000\"}"));
        Assert.That((await bed.ApplyAsync(executor, action)).Single().Status, Is.EqualTo(ActionStatus.Unchanged));
        await bed.CleanupAsync(executor);
    }

    [Test]
    public async Task Apply_EgressPolicerOnKernelPort_FailsWithReason()
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress(), new OvsQosOptions { RepairDrift = false });
        var bed = await OvsTestBed.CreateAsync();
        var action = new PlanAction(ActionKinds.OvsQos, $"port/{bed.Taps[0]}",
            new Dictionary<string, string> { ["type"] = "egress-policer", ["cir"] = "625000" }, ActionTiming.Live, "test");

        var results = await bed.ApplyAsync(executor, action);

        Assert.That(results.Single().Status, Is.EqualTo(ActionStatus.Failed));
        Assert.That(results.Single().Message, Does.Contain("DPDK"));
        await bed.CleanupAsync(executor);
    }
}
