using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Core.Events;
using static KvmNovaTuner.Core.Tests.Intake.NotificationBuilder;

namespace KvmNovaTuner.Core.Tests.Intake;

/// <summary>Legacy (unversioned) notifications built from the facts in reference/nova.md.</summary>
public sealed class LegacyNotificationDecoderTests
{
    private const string Uuid = "5f1d2a3b-1111-4222-8333-944455556666";

    private static string CreateEnd(string? host = "cmp-7") => Envelope("compute.instance.create.end", Parse($$"""
        {"instance_id": "{{Uuid}}", "host": {{(host is null ? "null" : $"\"{host}\"")}}, "tenant_id": "t1", "display_name": "vm1",
         "state": "active", "state_description": "", "instance_type": "m1.tuned", "instance_flavor_id": "42",
         "vcpus": 4, "memory_mb": 4096,
         "fixed_ips": [{"address": "10.0.0.5", "vif_mac": "fa:16:3e:00:00:01", "label": "private", "version": 4}]}
        """), "compute.cmp-7");

    [Test]
    public void Decode_LegacyCreateEnd_IsLegacyWithFlavorButNoExtraSpecs()
    {
        var e = NotificationDecoder.Decode(CreateEnd()).Event!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Format, Is.EqualTo(NotificationFormat.Legacy));
            Assert.That(e.EventType, Is.EqualTo("compute.instance.create.end"));
            Assert.That(e.InstanceUuid, Is.EqualTo(Uuid));
            Assert.That(e.Host, Is.EqualTo("cmp-7"));
            Assert.That(e.Flavor, Is.EqualTo(new FlavorInfo("m1.tuned", "42", 4, 4096, null)));
            Assert.That(e.Ports.Single().MacAddress, Is.EqualTo("fa:16:3e:00:00:01"));
            Assert.That(e.Ports.Single().Address, Is.EqualTo("10.0.0.5"));
        });
    }

    [Test]
    public void Decode_LegacyWithoutPayloadHost_TakesHostFromComputePublisher()
    {
        Assert.That(NotificationDecoder.Decode(CreateEnd(host: null)).Event!.Host, Is.EqualTo("cmp-7"));
    }

    [Test]
    public void Decode_LegacyUpdate_CarriesOldAndNewTaskStates()
    {
        var body = Envelope("compute.instance.update", Parse($$"""
            {"instance_id": "{{Uuid}}", "host": "cmp-1", "old_state": "active", "state": "active",
             "old_task_state": null, "new_task_state": "rebooting"}
            """), "conductor.ctl-1");
        var e = NotificationDecoder.Decode(body).Event!;
        Assert.That((e.OldState, e.State, e.OldTaskState, e.TaskState), Is.EqualTo(("active", "active", (string?)null, "rebooting")));
        Assert.That(e.Host, Is.EqualTo("cmp-1"));
    }

    [Test]
    public void Decode_LegacyUpdateFromConductorWithoutHost_HasNoHost()
    {
        var body = Envelope("compute.instance.update", Parse($$"""{"instance_id": "{{Uuid}}", "host": null}"""), "conductor.ctl-1");
        Assert.That(NotificationDecoder.Decode(body).Event!.Host, Is.Null);
    }

    [Test]
    public void Decode_LegacySnapshotEnd_CarriesSnapshotImageId()
    {
        var body = Envelope("compute.instance.snapshot.end", Parse($$"""{"instance_id": "{{Uuid}}", "host": "cmp-1", "snapshot_image_id": "img-9"}"""), "compute.cmp-1");
        Assert.That(NotificationDecoder.Decode(body).Event!.SnapshotImageId, Is.EqualTo("img-9"));
    }

    [Test]
    public void Decode_LegacyCreateError_CarriesFault()
    {
        var body = Envelope("compute.instance.create.error", Parse($$"""{"instance_id": "{{Uuid}}", "host": "cmp-1", "message": "No valid host", "code": 500}"""), "compute.cmp-1", "ERROR");
        Assert.That(NotificationDecoder.Decode(body).Event!.Fault, Is.EqualTo("No valid host"));
    }

    [Test]
    public void Decode_LegacyComputeException_DecodesWithoutInstance()
    {
        var body = Envelope("compute.exception", Parse("""{"exception": "Timeout", "args": {"x": 1}}"""), "compute.cmp-1", "ERROR");
        var e = NotificationDecoder.Decode(body).Event!;
        Assert.That(e.InstanceUuid, Is.Null);
        Assert.That(e.Fault, Is.EqualTo("Timeout"));
    }

    [Test]
    public void Decode_LegacyResizePrep_CarriesNewInstanceType()
    {
        var body = Envelope("compute.instance.resize.prep.end", Parse($$"""{"instance_id": "{{Uuid}}", "host": "cmp-1", "instance_type": "small", "new_instance_type": "big", "new_instance_type_id": 7}"""), "compute.cmp-1");
        Assert.That(NotificationDecoder.Decode(body).Event!.NewFlavor, Is.EqualTo(new FlavorInfo("big", "7", null, null, null)));
    }
}
