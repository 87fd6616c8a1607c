using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Protocol;
using KvmNovaTuner.Ovs.Qos;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Core.Tests.Ovs;

/// <summary>One port's transaction from its current rows: idempotence, ownership, guards, units.</summary>
public sealed class PortChangeBuilderTests
{
    private const string Instance = "11111111-2222-3333-4444-555555555555";

    [Test]
    public void Build_FreshPort_GuardsFirstThenWritesTaggedRows()
    {
        var change = PortChangeBuilder.Build(Port(), Policing(800, 640), Htb(1_000_000, 2_000_000, 8192), Instance, false);

        Assert.That(change.Results.Select(r => r.Status), Is.All.EqualTo(ActionStatus.Applied));
        Assert.That(change.Operations.Select(o => o.Op), Is.EqualTo(new[] { "wait", "wait", "update", "insert", "insert", "update" }));
        var qos = change.Operations.Single(o => o.Op == "insert" && o.Table == "QoS").Json["row"]!;
        Assert.That(OvsdbValue.ReadStringMap(qos["external_ids"]), Does.ContainKey(OvsOwnership.OwnerKey).WithValue("kvm-nova-tuner"));
        Assert.That(OvsdbValue.ReadStringMap(qos["external_ids"]), Does.ContainKey(OvsOwnership.InstanceKey).WithValue(Instance));
        Assert.That(OvsdbValue.ReadStringMap(qos["other_config"]), Is.EquivalentTo(new Dictionary<string, string> { ["max-rate"] = "2000000" }));
    }

    [Test]
    public void Build_ValuesAlreadyInEffectAndMarked_IsUnchangedWithNoOperation()
    {
        var port = Port(rate: 800, burst: 640, interfaceIds: OvsOwnership.Marks(Instance),
            qos: ("linux-htb", new() { ["max-rate"] = "2000000" }, OvsOwnership.Marks(Instance, "tap0")),
            queue: (new() { ["min-rate"] = "1000000", ["max-rate"] = "2000000" }, OvsOwnership.Marks(Instance, "tap0")));

        var change = PortChangeBuilder.Build(port, Policing(800, 640), Htb(1_000_000, 2_000_000, null), Instance, false);

        Assert.That(change.Results.Select(r => r.Status), Is.All.EqualTo(ActionStatus.Unchanged));
        Assert.That(change.Operations, Is.Empty);
        Assert.That(change.HasWrites, Is.False);
    }

    [TestCase("vm-id", "libvirt")]
    [TestCase("_type", "neutron")]
    [TestCase("someone", "unknown")]
    public void Build_QosOwnedBySomeoneElse_IsAConflictWithNoWrite(string markKey, string owner)
    {
        var port = Port(qos: ("linux-htb", new() { ["max-rate"] = "9" }, new() { [markKey] = "x" }));

        var change = PortChangeBuilder.Build(port, null, Htb(1_000_000, null, null), Instance, false);

        Assert.That(change.Results.Single().Status, Is.EqualTo(ActionStatus.Failed));
        Assert.That(change.Results.Single().Message, Does.StartWith("conflict").And.Contain(owner));
        Assert.That(change.HasWrites, Is.False);
    }

    [Test]
    public void Build_ForeignQosWhenTunerOwnsBandwidth_UpdatesItInPlaceUnderGuard()
    {
        var port = Port(qos: ("linux-htb", new() { ["max-rate"] = "9" }, new() { ["vm-id"] = "x" }), queue: (new() { ["max-rate"] = "9" }, new() { ["vm-id"] = "x" }));

        var change = PortChangeBuilder.Build(port, null, Htb(1_000_000, null, null), Instance, true);

        Assert.That(change.Results.Single().Status, Is.EqualTo(ActionStatus.Applied));
        Assert.That(change.Operations.Where(o => o.Op == "wait").Select(o => o.Table), Is.EquivalentTo(new[] { "Port", "QoS", "Queue" }));
        Assert.That(change.Operations.Where(o => o.Op != "wait").Select(o => (o.Op, o.Table)), Is.EquivalentTo(new[] { ("update", "Queue"), ("update", "QoS") }));
    }

    [Test]
    public void Build_PolicingSetByLibvirt_IsAConflict()
    {
        var port = Port(rate: 4000, burst: 3200, interfaceIds: new() { ["vm-id"] = "dom" });

        var result = PortChangeBuilder.Build(port, Policing(800, 640), null, Instance, false).Results.Single();

        Assert.That((result.Status, result.Before!["ingress_policing_rate"]), Is.EqualTo((ActionStatus.Failed, "4000")));
    }

    [Test]
    public void Build_HtbValuesOnDpdkPort_BecomeEgressPolicerInBytes()
    {
        var change = PortChangeBuilder.Build(Port(type: "dpdkvhostuser"), null, Htb(8_000_000, 16_000_000, 81920), Instance, false);

        var qos = change.Operations.Single(o => o.Op == "insert" && o.Table == "QoS").Json["row"]!;
        Assert.That(qos["type"]!.ToString(), Is.EqualTo("egress-policer"));
        Assert.That(OvsdbValue.ReadStringMap(qos["other_config"]), Is.EquivalentTo(new Dictionary<string, string> { ["cir"] = "1000000", ["cbs"] = "10240" }));
        Assert.That(change.Operations.Any(o => o.Table == "Queue"), Is.False);
    }

    [TestCase("ingress_policing_rate", "fast")]
    [TestCase("ingress_policing_rate", "-1")]
    public void Build_BadSetting_FailsNamingTheKey(string key, string value)
    {
        var action = new PlanAction(ActionKinds.OvsPolicing, "port/tap0", new Dictionary<string, string> { [key] = value }, ActionTiming.Live, "t");

        var result = PortChangeBuilder.Build(Port(), action, null, Instance, false).Results.Single();

        Assert.That(result.Status, Is.EqualTo(ActionStatus.Failed));
        Assert.That(result.Message, Does.Contain(key));
    }

    [Test]
    public void Build_QosWithoutPortRow_Fails() =>
        Assert.That(PortChangeBuilder.Build(Port(withPort: false), null, Htb(1, null, null), Instance, false).Results.Single().Message, Does.Contain("no Port row"));

    private static PlanAction Policing(long rate, long burst) => new(ActionKinds.OvsPolicing, "port/tap0",
        new Dictionary<string, string> { ["ingress_policing_rate"] = $"{rate}", ["ingress_policing_burst"] = $"{burst}" }, ActionTiming.Live, "t");

    private static PlanAction Htb(long? min, long? max, long? burst)
    {
        var settings = new Dictionary<string, string> { ["type"] = "linux-htb" };
        if (min is { } a) settings["min-rate"] = $"{a}";
        if (max is { } b) settings["max-rate"] = $"{b}";
        if (burst is { } c) settings["burst"] = $"{c}";
        return new(ActionKinds.OvsQos, "port/tap0", settings, ActionTiming.Live, "t");
    }

    private static OvsPortSnapshot Port(
        long rate = 0, long burst = 0, string type = "", Dictionary<string, string>? interfaceIds = null, bool withPort = true,
        (string Type, Dictionary<string, string> Config, Dictionary<string, string> Ids)? qos = null,
        (Dictionary<string, string> Config, Dictionary<string, string> Ids)? queue = null)
    {
        var ids = interfaceIds ?? [];
        var iface = new InterfaceRow("i-1", "tap0", type, rate, burst, ids, new JObject
        {
            ["ingress_policing_rate"] = rate, ["ingress_policing_burst"] = burst, ["external_ids"] = OvsdbValue.Map(ids),
        });
        QueueRow? queueRow = queue is { } q ? new QueueRow("u-1", q.Config, q.Ids, new JObject { ["other_config"] = OvsdbValue.Map(q.Config), ["external_ids"] = OvsdbValue.Map(q.Ids) }) : null;
        QosRow? qosRow = qos is { } s
            ? new QosRow("q-1", s.Type, s.Config, s.Ids, queueRow is null ? new Dictionary<long, string>() : new() { [0] = "u-1" }, new JObject
            {
                ["type"] = s.Type, ["other_config"] = OvsdbValue.Map(s.Config), ["external_ids"] = OvsdbValue.Map(s.Ids), ["queues"] = OvsdbValue.Map(new Dictionary<long, JToken>()),
            })
            : null;
        var port = withPort ? new PortRow("p-1", "tap0", qosRow?.Uuid, new JObject { ["qos"] = qosRow is null ? OvsdbValue.EmptySet() : OvsdbValue.Uuid(qosRow.Uuid) }) : null;
        return new OvsPortSnapshot(iface, port, qosRow, queueRow is null ? new Dictionary<long, QueueRow>() : new() { [0] = queueRow });
    }
}
