using KvmNovaTuner.OpenStack.Reporting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.OpenStack.Snapshots;

/// <summary>
/// The snapshot store, the reporter outbox and the workers that use them, for one cloud connection and one
/// state directory (default <c>$KNT_STATE_DIR</c>, else /var/lib/kvm-nova-tuner).
/// </summary>
public sealed class SnapshotWorkspace
{
    public SnapshotWorkspace(OpenStackConnection cloud, string? stateDirectory, int defaultKeep = 3, TimeProvider? time = null, ILogger? logger = null)
    {
        time ??= TimeProvider.System;
        logger ??= NullLogger.Instance;
        var dir = stateDirectory ?? Environment.GetEnvironmentVariable("KNT_STATE_DIR") ?? "/var/lib/kvm-nova-tuner";
        Store = new SnapshotStore(Path.Combine(dir, "snapshots.db"));
        Reporter = new StatusReporter(new OutboxStore(Path.Combine(dir, "outbox.db")), new NovaMetadataWriter(cloud.Nova), time, logger);
        Tracker = new SnapshotTracker(cloud.Glance, Store, Reporter, time, logger);
        Pruner = new SnapshotPruner(cloud.Glance, cloud.Nova, Store, time, defaultKeep);
        Recovery = new RecoveryRunner(cloud.Nova, cloud.Glance, Store, Reporter, time, logger);
    }

    public SnapshotStore Store { get; }
    public StatusReporter Reporter { get; }
    public SnapshotTracker Tracker { get; }
    public SnapshotPruner Pruner { get; }
    public RecoveryRunner Recovery { get; }
}
