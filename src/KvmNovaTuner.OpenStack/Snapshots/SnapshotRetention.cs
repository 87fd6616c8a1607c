using KvmNovaTuner.OpenStack.Glance;

namespace KvmNovaTuner.OpenStack.Snapshots;

/// <summary>One image retention looked at: whether it goes, and why.</summary>
public sealed record PruneDecision(GlanceImage Image, string ServerId, bool Delete, string Reason);

/// <summary>
/// Which snapshots of a server to delete: keep the newest <c>keep</c> active snapshots; of the older ones delete
/// those that are snapshots of this server and not protected. Images that are not snapshots, belong to another
/// server or are not active are never touched. Pure: no I/O.
/// </summary>
public static class SnapshotRetention
{
    public static IReadOnlyList<PruneDecision> Decide(string serverId, IEnumerable<GlanceImage> images, int keep)
    {
        var active = images
            .Where(i => i.IsSnapshot && i.InstanceUuid == serverId && i.Status == "active")
            .OrderByDescending(i => i.CreatedAt ?? DateTimeOffset.MinValue)
            .ThenByDescending(i => i.Id, StringComparer.Ordinal)
            .ToList();
        return active.Select((image, index) => index < keep
                ? new PruneDecision(image, serverId, false, $"kept: one of the newest {keep} active snapshots")
                : image.Protected
                    ? new PruneDecision(image, serverId, false, "kept: protected")
                    : new PruneDecision(image, serverId, true, $"older than the newest {keep} active snapshots"))
            .ToList();
    }
}
