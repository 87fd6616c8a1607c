namespace KvmNovaTuner.Core.Filtering;

/// <summary>
/// The event types that change what should be applied on a host, versioned names first; legacy names
/// (<c>compute.instance.*</c>) are mapped onto them. Everything else is dropped with a reason.
/// </summary>
public static class RelevantEvents
{
    /// <summary>Versioned event type → trigger and why it matters.</summary>
    public static readonly IReadOnlyDictionary<string, (EventTrigger Trigger, string Why)> Table =
        new Dictionary<string, (EventTrigger, string)>(StringComparer.Ordinal)
        {
            ["instance.create.start"] = (EventTrigger.Prepare, "a boot is about to start here: prepare hugepages and host resources"),
            ["instance.create.end"] = (EventTrigger.Apply, "a new domain runs here: apply the flavor's tuning"),
            ["instance.create.error"] = (EventTrigger.Release, "the boot failed: release what was prepared"),
            ["instance.rebuild.end"] = (EventTrigger.Reapply, "rebuild regenerated the domain XML"),
            ["instance.resize_finish.end"] = (EventTrigger.Reapply, "resize regenerated the domain with the new flavor"),
            ["instance.resize_revert.end"] = (EventTrigger.Reapply, "resize revert regenerated the domain with the old flavor"),
            ["instance.evacuate"] = (EventTrigger.Reapply, "evacuation rebuilds the domain on this host"),
            ["instance.unshelve.end"] = (EventTrigger.Reapply, "unshelve defined a new domain"),
            ["instance.live_migration_post_dest.end"] = (EventTrigger.Reapply, "live migration rewrote pinning, NUMA and IO threads and may drop <shares>"),
            ["instance.reboot.end"] = (EventTrigger.Reapply, "a hard reboot regenerates the domain XML"),
            ["instance.power_on.end"] = (EventTrigger.Reapply, "power on starts the domain from Nova's definition"),
            ["instance.unrescue.end"] = (EventTrigger.Reapply, "unrescue restores the domain from Nova's definition"),
            ["instance.restore.end"] = (EventTrigger.Reapply, "a restored soft-deleted instance starts again"),
            ["instance.resume.end"] = (EventTrigger.Reapply, "a resumed domain must be verified"),
            ["instance.interface_attach.end"] = (EventTrigger.Reapply, "a new port needs its bandwidth QoS"),
            ["instance.interface_detach.end"] = (EventTrigger.Reapply, "a port left: its owned QoS rows go"),
            ["instance.volume_attach.end"] = (EventTrigger.Reapply, "a new disk needs its IO settings"),
            ["instance.delete.end"] = (EventTrigger.Release, "the instance is gone: release its resources and records"),
            ["instance.shelve_offload.end"] = (EventTrigger.Release, "the domain left this host"),
            ["instance.snapshot.start"] = (EventTrigger.Snapshot, "a snapshot started: track the image"),
            ["instance.snapshot.end"] = (EventTrigger.Snapshot, "a snapshot finished: record it and apply retention"),
        };

    private static readonly IReadOnlyDictionary<string, string> LegacyNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["compute.instance.finish_resize.end"] = "instance.resize_finish.end",
        ["compute.instance.resize.revert.end"] = "instance.resize_revert.end",
        ["compute.instance.live_migration.post.dest.end"] = "instance.live_migration_post_dest.end",
        ["compute.instance.power_on.end"] = "instance.power_on.end",
        ["compute.instance.shelve_offload.end"] = "instance.shelve_offload.end",
        ["compute.instance.exists"] = "instance.exists",
    };

    /// <summary>The versioned name of an event type (legacy <c>compute.instance.X</c> → <c>instance.X</c>).</summary>
    public static string Normalize(string eventType)
    {
        if (LegacyNames.TryGetValue(eventType, out var mapped))
        {
            return mapped;
        }
        const string legacyPrefix = "compute.instance.";
        return eventType.StartsWith(legacyPrefix, StringComparison.Ordinal) ? "instance." + eventType[legacyPrefix.Length..] : eventType;
    }
}
