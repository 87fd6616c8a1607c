using System.Text.Json.Nodes;
using KvmNovaTuner.Core.Decoding;
using static KvmNovaTuner.Core.Tests.Intake.NotificationBuilder;

namespace KvmNovaTuner.Core.Tests.Intake;

/// <summary>Valid Nova messages that are not about one instance must decode (and never be dead-lettered).</summary>
public sealed class NonInstanceNotificationDecoderTests
{
    [Test]
    public void Decode_ServiceCreate_HasHostButNoInstance()
    {
        var body = Envelope("service.create", Versioned("ServiceStatusPayload", Parse("""
            {"host": "cmp-3", "binary": "nova-compute", "topic": "compute", "uuid": "svc-uuid", "disabled": false, "forced_down": false, "version": 66}
            """)), "nova-compute:cmp-3");
        var e = NotificationDecoder.Decode(body).Event!;
        Assert.That(e.InstanceUuid, Is.Null, "a service uuid is not an instance uuid");
        Assert.That(e.Host, Is.EqualTo("cmp-3"));
    }

    [Test]
    public void Decode_SchedulerSelectDestinations_CarriesInstanceUuidAndFlavor()
    {
        var flavor = Versioned("FlavorPayload", Parse("""{"name": "f1", "vcpus": 2, "memory_mb": 2048, "extra_specs": {"hw:cpu_policy": "dedicated"}}"""));
        var body = Envelope("scheduler.select_destinations.start", Versioned("RequestSpecPayload", new JsonObject
        {
            ["instance_uuid"] = "8e0a4c2d-0000-4000-8000-000000000001",
            ["flavor"] = flavor,
            ["num_instances"] = 1,
        }), "nova-scheduler:ctl-1");
        var e = NotificationDecoder.Decode(body).Event!;
        Assert.That(e.InstanceUuid, Is.EqualTo("8e0a4c2d-0000-4000-8000-000000000001"));
        Assert.That(e.Flavor?.ExtraSpecs?["hw:cpu_policy"], Is.EqualTo("dedicated"));
        Assert.That(e.Host, Is.Null);
    }

    [Test]
    public void Decode_VersionedComputeException_CarriesFaultFromExceptionPayload()
    {
        var body = Envelope("compute.exception", Versioned("ExceptionPayload", Parse("""
            {"exception": "NoValidHost", "exception_message": "No valid host was found.", "function_name": "f", "module_name": "m", "traceback": "t"}
            """)), "nova-compute:cmp-2", "ERROR");
        var e = NotificationDecoder.Decode(body).Event!;
        Assert.That(e.Fault, Is.EqualTo("NoValidHost: No valid host was found."));
        Assert.That(e.Host, Is.EqualTo("cmp-2"));
    }

    [Test]
    public void Decode_ComputeTaskBuildInstancesError_DecodesWithInstanceUuid()
    {
        var body = Envelope("compute_task.build_instances.error", Versioned("ComputeTaskPayload", Parse("""
            {"instance_uuid": "8e0a4c2d-0000-4000-8000-000000000002", "reason": {"nova_object.name": "ExceptionPayload", "nova_object.data": {"exception": "NoValidHost"}}, "state": "error"}
            """)), "nova-conductor:ctl-1", "ERROR");
        var e = NotificationDecoder.Decode(body).Event!;
        Assert.That(e.InstanceUuid, Is.EqualTo("8e0a4c2d-0000-4000-8000-000000000002"));
        Assert.That(e.Host, Is.Null, "a conductor publisher never names the instance's host");
    }

    [Test]
    public void Decode_InstanceUpdateFromConductor_UsesPayloadHostNotPublisher()
    {
        var body = Envelope("instance.update", Versioned("InstanceUpdatePayload", Parse("""
            {"uuid": "8e0a4c2d-0000-4000-8000-000000000003", "host": "cmp-9", "state": "active", "task_state": "rebooting",
             "state_update": {"nova_object.name": "InstanceStateUpdatePayload", "nova_object.data": {"old_state": "active", "state": "active", "old_task_state": null, "new_task_state": "rebooting"}}}
            """)), "nova-conductor:ctl-1");
        var e = NotificationDecoder.Decode(body).Event!;
        Assert.That(e.Host, Is.EqualTo("cmp-9"));
        Assert.That((e.OldState, e.TaskState), Is.EqualTo(("active", "rebooting")));
    }

    [Test]
    public void Decode_FlavorWithNullExtraSpecValue_KeepsTheKey()
    {
        var body = Envelope("flavor.update", Versioned("FlavorPayload", Parse("""{"name": "f", "flavorid": "1", "vcpus": "2", "memory_mb": 1, "extra_specs": {"hw:numa_nodes": 2, "tuner:x": null}}""")), "nova-api:ctl");
        var f = NotificationDecoder.Decode(body).Event!.Flavor!;
        Assert.That(f.ExtraSpecs!["hw:numa_nodes"], Is.EqualTo("2"));
        Assert.That(f.ExtraSpecs.ContainsKey("tuner:x"), Is.True);
        Assert.That(f.Vcpus, Is.EqualTo(2));
    }
}
