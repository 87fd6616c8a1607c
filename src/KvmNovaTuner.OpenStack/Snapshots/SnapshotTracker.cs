using KvmNovaTuner.Core.Events;
using KvmNovaTuner.OpenStack.Glance;
using KvmNovaTuner.OpenStack.Reporting;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.OpenStack.Snapshots;

/// <summary>
/// Follows snapshot images in Glance (from instance.snapshot.* events, and from a Glance scan at start-up) until
/// they are active or killed/deleted, records them in the <see cref="SnapshotStore"/>, and reports the server's
/// newest good recovery point as <c>tuner:snapshot</c>.
/// </summary>
public sealed class SnapshotTracker(GlanceClient glance, SnapshotStore store, StatusReporter? reporter, TimeProvider time, ILogger logger, PollOptions? poll = null)
{
    private readonly PollOptions poll = poll ?? new PollOptions();

    /// <summary>Handles instance.snapshot.start/end; other events are ignored (null).</summary>
    public async Task<SnapshotRecord?> OnEventAsync(InstanceEvent e, CancellationToken cancellationToken = default) =>
        e.EventType.StartsWith("instance.snapshot.", StringComparison.Ordinal) && e.SnapshotImageId is { } image && e.InstanceUuid is { } server
            ? await FollowAsync(server, image, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>Records every snapshot image Glance knows (image_type=snapshot with an instance_uuid); returns how many.</summary>
    public async Task<int> ScanAsync(string? serverId = null, CancellationToken cancellationToken = default)
    {
        var filters = new Dictionary<string, string> { ["image_type"] = "snapshot" };
        if (serverId is not null) filters["instance_uuid"] = serverId;
        var images = await glance.ListImagesAsync(filters, cancellationToken).ConfigureAwait(false);
        var count = 0;
        foreach (var image in images.Where(i => i.IsSnapshot && i.InstanceUuid is not null))
        {
            store.Upsert(Record(image.InstanceUuid!, image));
            count++;
        }
        return count;
    }

    /// <summary>Follows one snapshot until its status is final (with backoff), records it and reports it when good.</summary>
    public async Task<SnapshotRecord> FollowAsync(string serverId, string imageId, CancellationToken cancellationToken = default)
    {
        var image = await Poller.UntilAsync(ct => glance.FindImageAsync(imageId, ct), i => i is null || IsFinal(i.Status), poll, time, cancellationToken)
            .ConfigureAwait(false);
        var now = time.GetUtcNow();
        var record = image is null ? new SnapshotRecord(imageId, serverId, "deleted", null, now, now) : Record(serverId, image);
        store.Upsert(record);
        logger.LogInformation("Snapshot {Image} of server {Server} is {Status} ({Size} bytes)", imageId, serverId, record.Status, record.SizeBytes);
        if (record.IsGood && reporter is not null && store.Snapshots(serverId).FirstOrDefault(s => s.IsGood)?.ImageId == imageId)
        {
            reporter.Put(serverId, TunerMetadata.SnapshotKey, $"image={imageId} at={record.CreatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} size={record.SizeBytes ?? 0}");
        }
        return record;
    }

    private static bool IsFinal(string status) => status is "active" or "killed" or "deleted" or "pending_delete" or "deactivated";

    private SnapshotRecord Record(string serverId, GlanceImage image) =>
        new(image.Id, serverId, image.Status, image.SizeBytes, image.CreatedAt ?? time.GetUtcNow(), image.UpdatedAt ?? time.GetUtcNow());
}
