using System.Text.Json;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Plans;
using static KvmNovaTuner.Core.Tests.Planning.PlanningFixtures;

namespace KvmNovaTuner.Core.Tests.Planning;

public sealed class PlanJsonTests
{
    [Test]
    public void Serialize_UsesThePublicShape()
    {
        var plan = new Plan(Uuid, "instance.create.end", Host,
            [new PlanAction(ActionKinds.DiskDriver, $"domain/{Uuid}/disk/vda", new Dictionary<string, string> { ["cache"] = "none" }, ActionTiming.NextBoot, "tuner:disk_cache=none")],
            [new Diagnostic(DiagnosticSeverity.Warning, "hw:mem_page_size", "'2M' fails")]);
        using var json = JsonDocument.Parse(PlanJson.Serialize(plan));
        var root = json.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "instance_uuid", "event_type", "host", "actions", "diagnostics" }));
        var action = root.GetProperty("actions")[0];
        Assert.That(action.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "kind", "target", "settings", "when", "reason" }));
        Assert.That(action.GetProperty("when").GetString(), Is.EqualTo("next-boot"));
        Assert.That(action.GetProperty("settings").GetProperty("cache").GetString(), Is.EqualTo("none"));
        var diagnostic = root.GetProperty("diagnostics")[0];
        Assert.That(diagnostic.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "severity", "key", "message" }));
        Assert.That(diagnostic.GetProperty("severity").GetString(), Is.EqualTo("warning"));
    }

    [Test]
    public void RoundTrip_KeepsEveryField()
    {
        var plan = Plan(Request("instance.create.end", 4, 4096, Host, ["tap1"], ("hw:cpu_policy", "dedicated"), ("quota:vif_inbound_average", "10"), ("tuner:ksm", "off")));
        var back = PlanJson.Deserialize(PlanJson.Serialize(plan, indented: true));
        Assert.That(back.Actions.Select(a => (a.Kind, a.Target, a.When, a.Reason)), Is.EqualTo(plan.Actions.Select(a => (a.Kind, a.Target, a.When, a.Reason))));
        Assert.That(back.Actions.Select(a => a.Settings), Is.EqualTo(plan.Actions.Select(a => a.Settings)));
        Assert.That(back.Diagnostics, Is.EqualTo(plan.Diagnostics));
        Assert.That((back.InstanceUuid, back.EventType, back.Host), Is.EqualTo((plan.InstanceUuid, plan.EventType, plan.Host)));
    }

    [Test]
    public void Deserialize_UnknownTiming_Throws() =>
        Assert.Throws<JsonException>(() => PlanJson.Deserialize("""{"actions":[{"kind":"k","target":"t","settings":{},"when":"soon","reason":"r"}],"diagnostics":[]}"""));
}
