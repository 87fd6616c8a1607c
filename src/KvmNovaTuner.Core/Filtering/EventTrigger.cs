namespace KvmNovaTuner.Core.Filtering;

/// <summary>What an accepted event asks of the tuner on this host (see docs/intake.md for the table).</summary>
public enum EventTrigger
{
    /// <summary>A boot is about to happen here (<c>instance.create.start</c>): prepare host resources such as hugepages.</summary>
    Prepare,
    /// <summary>A new domain runs here (<c>instance.create.end</c>): apply the flavor's tuning.</summary>
    Apply,
    /// <summary>Nova regenerated or restarted the domain (rebuild, resize, evacuate, unshelve, live migration, reboot, power on, ...): apply again.</summary>
    Reapply,
    /// <summary>The instance left this host (delete, shelve offload, failed boot): release what was reserved for it.</summary>
    Release,
    /// <summary>A snapshot started or finished: track the image.</summary>
    Snapshot,
    /// <summary>The instance went into the error state: record and report it.</summary>
    Failed,
}
