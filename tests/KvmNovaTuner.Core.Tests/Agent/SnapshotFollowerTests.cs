using Flurl.Http.Testing;
using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Tests.OpenStack;
using KvmNovaTuner.OpenStack.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>The agent follows snapshot events in Glance off the event path and records the recovery point.</summary>
public sealed class SnapshotFollowerTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("knt-follower-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task SnapshotEndEvent_IsFollowedToActiveAndRecorded_OtherEventsAreNotQueued()
    {
        using var http = new HttpTest();
        http.IssueToken();
        http.ForCallsTo($"{FakeCloud.Glance}/v2/images").WithVerb(HttpMethod.Get).RespondWithJson(new { images = Array.Empty<object>() });
        http.ForCallsTo($"{FakeCloud.Glance}/v2/images/img-1").RespondWithJson(new
        {
            id = "img-1", status = "active", size = 1024, image_type = "snapshot", instance_uuid = "srv-1",
            created_at = "2026-11-26T04:00:00Z", updated_at = "2026-11-26T04:00:05Z",
        });
        using var connection = FakeCloud.Connect();
        var store = new SnapshotStore(Path.Combine(_dir, "snapshots.db"));
        await using var follower = new SnapshotFollower(new SnapshotTracker(connection.Glance, store, null, TimeProvider.System, NullLogger.Instance), NullLogger.Instance);

        var queued = follower.TryEnqueue(Event("instance.snapshot.end", "img-1"));
        var other = follower.TryEnqueue(Event("instance.create.end", null));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (store.Snapshots("srv-1").Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Multiple(() =>
        {
            Assert.That(queued, Is.True);
            Assert.That(other, Is.False);
            Assert.That(store.Snapshots("srv-1").Select(s => (s.ImageId, s.Status, s.SizeBytes)), Is.EqualTo(new[] { ("img-1", "active", (long?)1024) }));
        });
    }

    private static InstanceEvent Event(string type, string? image) => new()
    {
        Format = NotificationFormat.Versioned, EventType = type, MessageId = Guid.NewGuid().ToString(), InstanceUuid = "srv-1", Host = "compute", SnapshotImageId = image,
    };
}
