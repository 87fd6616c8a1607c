using KvmNovaTuner.Ovs.Qos;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Core.Tests.Ovs;

/// <summary>Who owns a row, how plan settings become OVS rows, and how ports are reported to the planner.</summary>
public sealed class OvsBandwidthRulesTests
{
    [TestCase("kvm-nova-tuner:owner", "kvm-nova-tuner", "kvm-nova-tuner")]
    [TestCase("kvm-nova-tuner:owner", "someone-else", "unknown")]
    [TestCase("vm-id", "dom-1", "libvirt")]
    [TestCase("ifname", "tap1", "libvirt")]
    [TestCase("_type", "minimum_bandwidth", "neutron")]
    [TestCase("queue-num", "1", "neutron")]
    [TestCase("note", "by hand", "unknown")]
    public void ClassifyRow_ExternalIds_NamesTheOwner(string key, string value, string owner) =>
        Assert.That(OvsOwnership.ClassifyRow(new Dictionary<string, string> { [key] = value }), Is.EqualTo(owner));

    [Test]
    public void ClassifyPolicing_Off_HasNoOwner() =>
        Assert.That(OvsOwnership.ClassifyPolicing(0, 0, new Dictionary<string, string> { ["vm-id"] = "d" }, null), Is.Null);

    [Test]
    public void ClassifyPolicing_SetWithNeutronQosOnPort_IsNeutrons() =>
        Assert.That(OvsOwnership.ClassifyPolicing(100, 80, new Dictionary<string, string>(), "neutron"), Is.EqualTo("neutron"));

    [Test]
    public void WithoutMarks_KeepsOsVifKeys()
    {
        var ids = new Dictionary<string, string>(OvsOwnership.Marks("u", "tap0")) { ["vm-uuid"] = "u", ["iface-id"] = "p" };
        Assert.That(OvsOwnership.WithoutMarks(ids).Keys, Is.EquivalentTo(new[] { "vm-uuid", "iface-id" }));
    }

    [Test]
    public void DesiredQos_HtbWithoutMaxRate_PutsNoMaxRateOnQos()
    {
        var qos = DesiredQos.FromSettings(new Dictionary<string, string> { ["min-rate"] = "8000" }, dpdkPort: false);
        Assert.That(qos.QosConfig, Is.Empty);
        Assert.That(qos.QueueConfig, Is.EquivalentTo(new Dictionary<string, string> { ["min-rate"] = "8000" }));
    }

    [Test]
    public void DesiredQos_DpdkWithOnlyMaxRate_UsesItForCir() =>
        Assert.That(DesiredQos.FromSettings(new Dictionary<string, string> { ["max-rate"] = "8000" }, dpdkPort: true).QosConfig,
            Is.EquivalentTo(new Dictionary<string, string> { ["cir"] = "1000" }));

    [TestCase("{}", "min-rate or max-rate")]
    [TestCase("""{"type":"linux-hfsc","min-rate":"1"}""", "not supported")]
    [TestCase("""{"min-rate":"1.5"}""", "min-rate")]
    public void DesiredQos_BadSettings_ThrowNamingTheProblem(string json, string fragment)
    {
        var settings = JObject.Parse(json).Properties().ToDictionary(p => p.Name, p => p.Value.ToString());
        Assert.That(() => DesiredQos.FromSettings(settings, false), Throws.TypeOf<FormatException>().With.Message.Contains(fragment));
    }

    [Test]
    public void ToState_ForeignQosAndTunerPolicing_ReportsTheForeignOwner()
    {
        var marks = OvsOwnership.Marks("u");
        var snapshot = new OvsPortSnapshot(
            new InterfaceRow("i", "tap0", "", 800, 640, marks, []),
            new PortRow("p", "tap0", "q", []),
            new QosRow("q", "linux-htb", new Dictionary<string, string> { ["max-rate"] = "9" }, new Dictionary<string, string> { ["vm-id"] = "d" }, new Dictionary<long, string> { [0] = "u0" }, []),
            new Dictionary<long, QueueRow> { [0] = new("u0", new Dictionary<string, string> { ["min-rate"] = "5", ["max-rate"] = "9" }, new Dictionary<string, string>(), []) });

        var state = OvsPortReader.ToState(snapshot);

        Assert.That(state.Owner, Is.EqualTo("libvirt"));
        Assert.That(state.QosType, Is.EqualTo("linux-htb"));
        Assert.That(state.QosSettings, Is.EquivalentTo(new Dictionary<string, string> { ["min-rate"] = "5", ["max-rate"] = "9" }));
        Assert.That((state.IngressPolicingRate, state.IngressPolicingBurst), Is.EqualTo((800L, 640L)));
    }
}
