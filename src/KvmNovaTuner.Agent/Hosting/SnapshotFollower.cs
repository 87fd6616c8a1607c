using KvmNovaTuner.Core.Events;
using KvmNovaTuner.OpenStack.Http;
using KvmNovaTuner.OpenStack.Snapshots;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// Follows snapshot images off the event path: <c>instance.snapshot.start/end</c> events are queued here and each image
/// is followed in Glance until final (recorded, and reported as <c>tuner:snapshot</c> when good) without holding up
/// the intake. At start it records every snapshot Glance already knows, so a restart loses no recovery point.
/// </summary>
public sealed class SnapshotFollower : IAsyncDisposable
{
    private readonly SnapshotTracker _tracker;
    private readonly ILogger _logger;
    private readonly BackgroundQueue<InstanceEvent> _events;

    public SnapshotFollower(SnapshotTracker tracker, ILogger logger)
    {
        _tracker = tracker;
        _logger = logger;
        _events = new BackgroundQueue<InstanceEvent>(
            (e, ct) => GuardAsync(c => _tracker.OnEventAsync(e, c), ct),
            ct => GuardAsync(async c => _logger.LogInformation("Recorded {Count} snapshot images known to Glance", await _tracker.ScanAsync(cancellationToken: c).ConfigureAwait(false)), ct));
    }

    /// <summary>True when the event is a snapshot event (queued to be followed); false for every other event.</summary>
    public bool TryEnqueue(InstanceEvent e) =>
        e.EventType.StartsWith("instance.snapshot.", StringComparison.Ordinal) && e.SnapshotImageId is not null && _events.TryEnqueue(e);

    private async Task GuardAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await work(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OpenStackApiException or HttpRequestException or TimeoutException or Microsoft.Data.Sqlite.SqliteException)
        {
            _logger.LogWarning("Snapshot tracking step failed ({Reason}); the next event or start-up scan records it", e.Message);
        }
    }

    public ValueTask DisposeAsync() => _events.DisposeAsync();
}
