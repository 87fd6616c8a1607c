using System.Globalization;
using KvmNovaTuner.Core.Progress;
using KvmNovaTuner.OpenStack.Glance;
using KvmNovaTuner.OpenStack.Nova;

namespace KvmNovaTuner.OpenStack.Snapshots;

/// <summary>Result of a prune: every decision and the bytes reclaimed by the deletions.</summary>
public sealed record PruneResult(IReadOnlyList<PruneDecision> Decisions, long BytesReclaimed, bool DryRun);

/// <summary>
/// Applies <see cref="SnapshotRetention"/> per server: N from the server's flavor key <c>tuner:snapshot_keep</c>,
/// else <paramref name="defaultKeep"/>; deletes through Glance and marks the records deleted.
/// </summary>
public sealed class SnapshotPruner(GlanceClient glance, NovaClient nova, SnapshotStore store, TimeProvider time, int defaultKeep)
{
    public const string KeepKey = "tuner:snapshot_keep";

    /// <summary>Decides per server, then deletes; <paramref name="progress"/> follows the deletions (snapshots to delete, deleted so far).</summary>
    public async Task<PruneResult> PruneAsync(string? serverId, bool dryRun, int? keepOverride = null, IProgress<WorkProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var filters = new Dictionary<string, string> { ["image_type"] = "snapshot" };
        if (serverId is not null) filters["instance_uuid"] = serverId;
        var images = await glance.ListImagesAsync(filters, cancellationToken).ConfigureAwait(false);
        var decisions = new List<PruneDecision>();
        foreach (var server in images.Where(i => i.IsSnapshot && i.InstanceUuid is not null).Select(i => i.InstanceUuid!).Distinct().Order(StringComparer.Ordinal))
        {
            var keep = keepOverride ?? await KeepForAsync(server, cancellationToken).ConfigureAwait(false);
            decisions.AddRange(SnapshotRetention.Decide(server, images, keep));
        }
        long reclaimed = 0;
        var toDelete = decisions.Where(d => d.Delete).ToList();
        var done = 0;
        foreach (var doomed in toDelete)
        {
            if (!dryRun)
            {
                await glance.DeleteImageAsync(doomed.Image.Id, cancellationToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                store.Upsert(new SnapshotRecord(doomed.Image.Id, doomed.ServerId, "deleted", doomed.Image.SizeBytes, doomed.Image.CreatedAt ?? now, now));
            }
            reclaimed += doomed.Image.SizeBytes ?? 0;
            done++;
            progress?.Report(new WorkProgress(done, toDelete.Count, done));
        }
        return new PruneResult(decisions, reclaimed, dryRun);
    }

    private async Task<int> KeepForAsync(string serverId, CancellationToken cancellationToken)
    {
        var server = await nova.FindServerAsync(serverId, cancellationToken).ConfigureAwait(false);
        return server is not null && server.FlavorExtraSpecs.TryGetValue(KeepKey, out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var keep) && keep >= 1
            ? keep
            : defaultKeep;
    }
}
