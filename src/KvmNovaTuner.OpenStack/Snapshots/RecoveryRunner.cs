using KvmNovaTuner.OpenStack.Glance;
using KvmNovaTuner.OpenStack.Http;
using KvmNovaTuner.OpenStack.Nova;
using KvmNovaTuner.OpenStack.Reporting;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.OpenStack.Snapshots;

/// <summary>
/// Rebuilds a server from its newest active snapshot (or a named one), follows the rebuild to its end and
/// records every step with Masakari's statuses (new → running → finished|failed, or ignored when it cannot
/// start), reporting the outcome as <c>tuner:recovery</c>. Never ends silently: every outcome has a reason.
/// </summary>
public sealed class RecoveryRunner(NovaClient nova, GlanceClient glance, SnapshotStore store, StatusReporter? reporter, TimeProvider time, ILogger logger,
    PollOptions? poll = null)
{
    private static readonly string[] RecoverableStates = ["active", "stopped", "error"];
    private readonly PollOptions poll = poll ?? new PollOptions();

    /// <summary>Records and runs a requested (manual) recovery.</summary>
    public Task<RecoveryRecord> RecoverAsync(string serverId, string? snapshotId = null, CancellationToken cancellationToken = default) =>
        RunAsync(Begin(serverId, snapshotId, RecoveryRecord.ManualTrigger, "requested"), serverId, snapshotId, cancellationToken);

    /// <summary>Records a recovery as <c>new</c> (nothing asked of Nova yet); <see cref="RunAsync"/> carries it out.</summary>
    public long Begin(string serverId, string? snapshotId, string trigger, string reason) => store.StartRecovery(serverId, snapshotId, reason, time.GetUtcNow(), trigger);

    /// <summary>Records a recovery that is not started, as <c>ignored</c> with its reason, and reports it.</summary>
    public RecoveryRecord Decline(string serverId, string trigger, string reason) => Finish(Begin(serverId, null, trigger, reason), serverId, RecoveryStatus.Ignored, reason, null);

    /// <summary>Ends a recorded recovery as <c>failed</c> when it could not be carried out (the cloud unreachable, the store failing).</summary>
    public RecoveryRecord Abandon(long id, string serverId, string reason) => Finish(id, serverId, RecoveryStatus.Failed, reason, null);

    /// <summary>Carries out the recovery recorded as <paramref name="id"/>: checks the server, chooses the snapshot, rebuilds and follows the rebuild.</summary>
    public async Task<RecoveryRecord> RunAsync(long id, string serverId, string? snapshotId = null, CancellationToken cancellationToken = default)
    {
        var server = await nova.FindServerAsync(serverId, cancellationToken).ConfigureAwait(false);
        if (server is null) return Finish(id, serverId, RecoveryStatus.Failed, "server not found", snapshotId);
        if (server.Locked) return Finish(id, serverId, RecoveryStatus.Ignored, "server is locked", snapshotId);
        if (server.TaskState is not null) return Finish(id, serverId, RecoveryStatus.Ignored, $"server is busy (task_state {server.TaskState})", snapshotId);
        if (!RecoverableStates.Contains(server.VmState ?? "")) return Finish(id, serverId, RecoveryStatus.Ignored, $"server is {server.VmState ?? server.Status}, not active, stopped or error", snapshotId);

        var (image, problem) = await ChooseSnapshotAsync(serverId, snapshotId, cancellationToken).ConfigureAwait(false);
        if (image is null) return Finish(id, serverId, RecoveryStatus.Ignored, problem!, snapshotId);

        store.UpdateRecovery(id, RecoveryStatus.Running, $"rebuilding from snapshot {image.Id}", image.Id, null);
        logger.LogInformation("Recovery {Id}: rebuilding server {Server} from snapshot {Image}", id, serverId, image.Id);
        try
        {
            await nova.RebuildAsync(serverId, image.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (OpenStackApiException e)
        {
            return Finish(id, serverId, RecoveryStatus.Failed, $"Nova refused the rebuild: {e.Detail}", image.Id);
        }
        catch (OpenStackUnavailableException e) when (!e.SafeToRetry)
        {
            // The rebuild may have started: follow the server rather than give up.
            logger.LogWarning("Recovery {Id}: the rebuild request timed out; following the server anyway", id);
        }
        var after = await Poller.UntilAsync(ct => nova.GetServerAsync(serverId, ct), s => s.TaskState is null && s.Status != "REBUILD", poll, time, cancellationToken)
            .ConfigureAwait(false);
        return after switch
        {
            { Status: "ACTIVE" or "SHUTOFF", TaskState: null } => Finish(id, serverId, RecoveryStatus.Finished, $"rebuilt from snapshot {image.Id}", image.Id),
            { Status: "ERROR" } => Finish(id, serverId, RecoveryStatus.Failed, $"rebuild failed: {after.Fault ?? "server went to ERROR"}", image.Id),
            _ => Finish(id, serverId, RecoveryStatus.Failed, $"rebuild did not finish (server {after.Status}/{after.TaskState ?? "-"})", image.Id),
        };
    }

    private async Task<(GlanceImage? Image, string? Problem)> ChooseSnapshotAsync(string serverId, string? snapshotId, CancellationToken cancellationToken)
    {
        if (snapshotId is not null)
        {
            var named = await glance.FindImageAsync(snapshotId, cancellationToken).ConfigureAwait(false);
            return named switch
            {
                null => (null, $"snapshot {snapshotId} does not exist"),
                { Status: not "active" } => (null, $"snapshot {snapshotId} is {named.Status}, not active"),
                _ => (named, null),
            };
        }
        var images = await glance.ListImagesAsync(new Dictionary<string, string> { ["image_type"] = "snapshot", ["instance_uuid"] = serverId }, cancellationToken)
            .ConfigureAwait(false);
        var newest = images.Where(i => i.IsSnapshot && i.InstanceUuid == serverId && i.Status == "active")
            .OrderByDescending(i => i.CreatedAt ?? DateTimeOffset.MinValue).FirstOrDefault();
        return newest is null ? (null, "no active snapshot of this server") : (newest, null);
    }

    private RecoveryRecord Finish(long id, string serverId, RecoveryStatus status, string reason, string? imageId)
    {
        store.UpdateRecovery(id, status, reason, imageId, time.GetUtcNow());
        var record = store.Recoveries(serverId).First(r => r.Id == id);
        logger.LogInformation("Recovery {Id} of server {Server}: {Status} ({Reason})", id, serverId, record.StatusText, reason);
        // A server that does not exist cannot carry metadata.
        if (reason != "server not found") reporter?.Put(serverId, TunerMetadata.RecoveryKey, record.MetadataValue);
        return record;
    }
}
