using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;
using KvmNovaTuner.Ovs.Qos;

namespace KvmNovaTuner.Integration.Tests.Ovs;

/// <summary>
/// The contract between the planner and this executor: a flavor's <c>quota:vif_*</c> keys, planned against the
/// ports the reader observed (a kernel tap and a vhost-user port), land in OVS in the documented units, and
/// planning again against the new state leaves nothing to change.
/// </summary>
public sealed class OvsPlannerRoundTripTests
{
    private static readonly Dictionary<string, string> Specs = new()
    {
        ["quota:vif_outbound_average"] = "1000",
        ["quota:vif_outbound_burst"] = "2000",
        ["quota:vif_inbound_average"] = "3000",
        ["quota:vif_inbound_peak"] = "4000",
        ["quota:vif_inbound_burst"] = "512",
    };

    [Test]
    public async Task PlanAndApply_VifQuotas_LandInOvsUnitsAndReplanIsQuiet()
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress(), new OvsQosOptions { RepairDrift = false });
        var bed = await OvsTestBed.CreateAsync();
        var kernel = bed.Taps[0];
        var vhost = $"vhu{kernel[3..]}";
        await bed.VsctlAsync("add-port", bed.Bridge, vhost, "--", "set", "Interface", vhost, "type=dpdkvhostuserclient", $"external_ids:vm-uuid={bed.InstanceUuid}");

        var plan = await PlanAsync(executor, bed);
        var ovsActions = plan.Actions.Where(a => executor.Handles(a.Kind)).ToList();
        var results = await executor.ExecuteAsync(plan, ovsActions, false);

        Assert.That(ovsActions, Has.Count.EqualTo(4), string.Join("; ", plan.Actions.Select(a => $"{a.Kind} {a.Target}")));
        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(ActionStatus.Applied), string.Join("; ", results.Select(r => r.Message)));
        Assert.Multiple(async () =>
        {
            foreach (var tap in new[] { kernel, vhost })
            {
                Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_rate"), Is.EqualTo("8000"), "1000 kB/s x 8 = kbit/s");
                Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_burst"), Is.EqualTo("16000"), "2000 kB x 8 = kbit");
            }
            var htb = await bed.GetAsync("Port", kernel, "qos");
            var queue = await bed.GetAsync("QoS", htb, "queues:0");
            Assert.That(await bed.GetAsync("Queue", queue, "other_config:min-rate"), Is.EqualTo("24000000"), "3000 kB/s x 8000 = bit/s");
            Assert.That(await bed.GetAsync("Queue", queue, "other_config:max-rate"), Is.EqualTo("32000000"), "peak 4000 kB/s x 8000");
            Assert.That(await bed.GetAsync("Queue", queue, "other_config:burst"), Is.EqualTo("4194304"), "512 KiB x 8192 = bits");
            var policer = await bed.GetAsync("Port", vhost, "qos");
            Assert.That(await bed.GetAsync("QoS", policer, "type"), Is.EqualTo("egress-policer"));
            Assert.That(await bed.GetAsync("QoS", policer, "other_config:cir"), Is.EqualTo("3000000"), "3000 kB/s x 1000 = bytes/s");
            Assert.That(await bed.GetAsync("QoS", policer, "other_config:cbs"), Is.EqualTo("524288"), "512 KiB x 1024 = bytes");
        });

        var again = await PlanAsync(executor, bed);
        var second = await executor.ExecuteAsync(again, [.. again.Actions.Where(a => executor.Handles(a.Kind))], false);
        Assert.That(second.Select(r => r.Status), Is.All.EqualTo(ActionStatus.Unchanged));
        await bed.CleanupAsync(executor);
    }

    private static async Task<Plan> PlanAsync(OvsQosExecutor executor, OvsTestBed bed)
    {
        var instanceEvent = new InstanceEvent
        {
            Format = NotificationFormat.Versioned,
            EventType = "instance.update",
            MessageId = Guid.NewGuid().ToString(),
            Host = "test-host",
            InstanceUuid = bed.InstanceUuid,
            State = "active",
            Flavor = new FlavorInfo("tuned", "1", 2, 2048, Specs),
        };
        var ports = await executor.Reader.ReadAsync(bed.InstanceUuid, []);
        var request = PlanRequest.FromEvent(instanceEvent, "test-host");
        return TuningPlanner.Create(request, HostTopology.Unknown, new ObservedState(null, ports));
    }
}
