using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Core.Events;

namespace KvmNovaTuner.Core.Tests.Intake;

public sealed class NotificationDecoderSampleTests
{
    [Test]
    public void Decode_EveryLineOfAllJsonl_DecodesAsVersionedWithMessageIdAndEventType()
    {
        var lines = NovaSamples.AllLines;
        Assert.That(lines, Has.Length.EqualTo(104));
        foreach (var line in lines)
        {
            var result = NotificationDecoder.Decode(line);
            Assert.That(result.Error, Is.Null, line[..Math.Min(200, line.Length)]);
            Assert.That(result.Event!.Format, Is.EqualTo(NotificationFormat.Versioned));
            Assert.That(result.Event.MessageId, Is.Not.Empty);
            Assert.That(result.Event.EventType, Is.Not.Empty);
        }
    }

    [Test]
    public void Decode_EveryInstanceSample_HasUuidFlavorAndHost()
    {
        foreach (var e in NovaSamples.AllLines.Select(l => NotificationDecoder.Decode(l).Event!).Where(e => e.EventType.StartsWith("instance.", StringComparison.Ordinal)))
        {
            Assert.That(e.InstanceUuid, Is.Not.Null.And.Not.Empty, e.EventType);
            Assert.That(e.Flavor?.ExtraSpecs, Is.Not.Null, e.EventType);
        }
    }

    [Test]
    public void Decode_MessageIds_AreUniqueAcrossSamples()
    {
        var ids = NovaSamples.AllLines.Select(l => NotificationDecoder.Decode(l).Event!.MessageId).ToList();
        Assert.That(ids, Is.Unique);
    }

    [TestCaseSource(typeof(NovaSamples), nameof(NovaSamples.WireFiles))]
    public void Decode_SharedWireFile_Decodes(string path)
    {
        NovaSamples.IgnoreIfAbsent(path);
        foreach (var line in File.ReadAllLines(path).Where(l => l.Length > 0))
        {
            Assert.That(NotificationDecoder.Decode(line).Error, Is.Null, path);
        }
    }

    [TestCaseSource(typeof(NovaSamples), nameof(NovaSamples.PrettyFiles))]
    public void Decode_SharedBareMessageFile_DecodesWithoutEnvelope(string path)
    {
        NovaSamples.IgnoreIfAbsent(path);
        var result = NotificationDecoder.Decode(File.ReadAllText(path));
        Assert.That(result.Error, Is.Null, path);
        Assert.That(result.Event!.EventType, Is.Not.Empty);
    }

    [Test]
    public void Decode_CreateEnd_FillsInstanceFieldsPortsAndFlavor()
    {
        var e = NotificationDecoder.Decode(NovaSamples.Line("instance.create.end")).Event!;
        Assert.Multiple(() =>
        {
            Assert.That(e.InstanceUuid, Is.EqualTo("178b0921-8f85-4257-88b6-2e743b5a975c"));
            Assert.That(e.Host, Is.EqualTo("compute"));
            Assert.That(e.PublisherId, Is.EqualTo("nova-compute:compute"));
            Assert.That(e.Priority, Is.EqualTo("INFO"));
            Assert.That(e.State, Is.EqualTo("active"));
            Assert.That(e.DisplayName, Is.EqualTo("some-server"));
            Assert.That(e.TenantId, Is.EqualTo("6f70656e737461636b20342065766572"));
            Assert.That(e.Timestamp, Does.StartWith("2026-01-15"));
            Assert.That(e.Flavor, Is.EqualTo(e.Flavor! with { Name = "test_flavor", FlavorId = "a22d5517-147c-4147-a0d1-e698df5cd4e3", Vcpus = 1, MemoryMb = 512 }));
            Assert.That(e.Flavor!.ExtraSpecs, Is.EquivalentTo(new Dictionary<string, string> { ["hw:watchdog_action"] = "disabled" }));
            Assert.That(e.Ports, Has.Count.EqualTo(1));
            Assert.That(e.Ports[0].DeviceName, Is.EqualTo("tapce531f90-19"));
            Assert.That(e.Ports[0].PortUuid, Is.EqualTo("ce531f90-199f-48c0-816c-13e38010b442"));
            Assert.That(e.Ports[0].MacAddress, Is.EqualTo("fa:16:3e:4c:2c:30"));
            Assert.That(e.Ports[0].Address, Is.EqualTo("192.168.1.3"));
        });
    }

    [Test]
    public void Decode_CreateStartWithNullPayloadHost_TakesHostFromComputePublisher()
    {
        var e = NotificationDecoder.Decode(NovaSamples.Line("instance.create.start")).Event!;
        Assert.That(e.Host, Is.EqualTo("compute"));
    }

    [Test]
    public void Decode_ResizePrep_CarriesNewFlavor()
    {
        var e = NotificationDecoder.Decode(NovaSamples.Line("instance.resize_prep.end")).Event!;
        Assert.That(e.NewFlavor?.Name, Is.EqualTo("other_flavor"));
        Assert.That(e.NewFlavor?.ExtraSpecs?["hw:watchdog_action"], Is.EqualTo("reset"));
        Assert.That(e.Flavor?.ExtraSpecs?["hw:watchdog_action"], Is.EqualTo("disabled"));
    }

    [Test]
    public void Decode_SnapshotEnd_CarriesSnapshotImageId()
    {
        var e = NotificationDecoder.Decode(NovaSamples.Line("instance.snapshot.end")).Event!;
        Assert.That(e.SnapshotImageId, Is.EqualTo("d2aae36f-785c-4518-8016-bc9534d9fc7f"));
    }

    [Test]
    public void Decode_CreateError_CarriesFaultAndErrorPriority()
    {
        var e = NotificationDecoder.Decode(NovaSamples.Line("instance.create.error")).Event!;
        Assert.That(e.Fault, Does.StartWith("FlavorDiskTooSmall: "));
        Assert.That(e.Priority, Is.EqualTo("ERROR"));
    }

    [Test]
    public void Decode_InstanceUpdate_CarriesStateTransition()
    {
        var e = NotificationDecoder.Decode(NovaSamples.Line("instance.update", 1)).Event!;
        Assert.That(e.OldState, Is.EqualTo("building"));
        Assert.That(e.State, Is.EqualTo("active"), "the payload state wins over state_update.state");
    }

    [Test]
    public void Decode_FlavorUpdate_UsesPayloadAsFlavorWithoutInstanceOrHost()
    {
        var e = NotificationDecoder.Decode(NovaSamples.Line("flavor.update")).Event!;
        Assert.That(e.InstanceUuid, Is.Null);
        Assert.That(e.Host, Is.Null, "a nova-api publisher never names an instance's host");
        Assert.That(e.Flavor?.ExtraSpecs?["hw:numa_nodes"], Is.EqualTo("2"));
    }

    [Test]
    public void Decode_FlavorCreate_KeepsNullExtraSpecsNull()
    {
        var e = NotificationDecoder.Decode(NovaSamples.Line("flavor.create")).Event!;
        Assert.That(e.Flavor, Is.Not.Null);
        Assert.That(e.Flavor!.ExtraSpecs, Is.Null);
    }

    [Test]
    public void Decode_BareMessageWithoutMessageId_GetsStableContentId()
    {
        const string body = """{"event_type":"flavor.delete","payload":{"nova_object.data":{"name":"f"}}}""";
        var first = NotificationDecoder.Decode(body).Event!.MessageId;
        Assert.That(first, Does.StartWith("sha256-"));
        Assert.That(NotificationDecoder.Decode(body).Event!.MessageId, Is.EqualTo(first));
    }
}
