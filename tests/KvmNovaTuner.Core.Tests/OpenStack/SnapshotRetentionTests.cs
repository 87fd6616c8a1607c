using KvmNovaTuner.OpenStack.Glance;
using KvmNovaTuner.OpenStack.Snapshots;

namespace KvmNovaTuner.Core.Tests.OpenStack;

public sealed class SnapshotRetentionTests
{
    private static GlanceImage Image(string id, int minute, string server = "s1", string status = "active", bool isProtected = false, string type = "snapshot") =>
        new(id, id, status, 1000, isProtected, FakeCloud.Now.AddMinutes(minute), null,
            new Dictionary<string, string> { ["image_type"] = type, ["instance_uuid"] = server });

    [Test]
    public void Decide_FourActiveKeepTwo_DeletesTheTwoOldest()
    {
        var decisions = SnapshotRetention.Decide("s1", [Image("a", 1), Image("b", 2), Image("c", 3), Image("d", 4)], keep: 2);
        Assert.That(decisions.Where(d => d.Delete).Select(d => d.Image.Id), Is.EquivalentTo(new[] { "a", "b" }));
    }

    [Test]
    public void Decide_OldProtectedSnapshot_KeptWithReason()
    {
        var decisions = SnapshotRetention.Decide("s1", [Image("p", 0, isProtected: true), Image("b", 2), Image("c", 3)], keep: 1);
        Assert.That(decisions.Where(d => d.Delete).Select(d => d.Image.Id), Is.EqualTo(new[] { "b" }));
        Assert.That(decisions.Single(d => d.Image.Id == "p").Reason, Is.EqualTo("kept: protected"));
    }

    [Test]
    public void Decide_OtherServersNonSnapshotsAndNonActive_NeverTouched()
    {
        var decisions = SnapshotRetention.Decide("s1",
            [Image("other", 0, server: "s2"), Image("base", 0, type: "image"), Image("killed", 0, status: "killed"), Image("queued", 0, status: "queued"), Image("mine", 5)],
            keep: 1);
        Assert.That(decisions.Select(d => d.Image.Id), Is.EqualTo(new[] { "mine" }));
        Assert.That(decisions.Any(d => d.Delete), Is.False);
    }

    [Test]
    public void RecoveryRecord_MetadataValue_FitsNovasLimitsAndNamesStatusAndImage()
    {
        var r = new RecoveryRecord(1, "s1", "img-1", RecoveryStatus.Ignored, "no active snapshot of this server", FakeCloud.Now, FakeCloud.Now);
        Assert.That(r.MetadataValue, Is.EqualTo("ignored image=img-1 at=2026-11-26T04:00:00Z trigger=manual reason=no active snapshot of this server"));
        Assert.That(r.MetadataValue, Has.Length.LessThanOrEqualTo(255));
    }

    [Test]
    public void RecoveryRecord_StartedByTheAgent_IsAutomaticAndSaysSoInTheMetadata()
    {
        var r = new RecoveryRecord(2, "s1", "img-1", RecoveryStatus.Finished, "rebuilt from snapshot img-1", FakeCloud.Now, FakeCloud.Now, "auto: instance went to ERROR (message id m-1)");
        Assert.That(r.IsAutomatic, Is.True);
        Assert.That(r.MetadataValue, Is.EqualTo("finished image=img-1 at=2026-11-26T04:00:00Z trigger=auto reason=rebuilt from snapshot img-1"));
    }
}
