namespace KvmNovaTuner.OpenStack.Snapshots;

/// <summary>A snapshot image the tuner follows: its server, Glance status, size and times.</summary>
public sealed record SnapshotRecord(string ImageId, string ServerId, string Status, long? SizeBytes, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public bool IsGood => Status == "active";
    public bool IsFinal => Status is "active" or "killed" or "deleted" or "pending_delete" or "deactivated";
}

/// <summary>Recovery status, in Masakari's vocabulary.</summary>
public enum RecoveryStatus
{
    New,
    Running,
    Finished,
    Failed,
    Ignored,
}

/// <summary>One recovery (rebuild from a snapshot) of a server, with the reason for its outcome and what started it.</summary>
/// <param name="Trigger"><c>manual</c> (the <c>recover</c> verb), or <c>auto: ...</c> saying which event made the agent start it.</param>
public sealed record RecoveryRecord(long Id, string ServerId, string? ImageId, RecoveryStatus Status, string Reason, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt,
    string Trigger = RecoveryRecord.ManualTrigger)
{
    public const string ManualTrigger = "manual";
    public const string AutoTrigger = "auto";

    public string StatusText => Status.ToString().ToLowerInvariant();

    /// <summary>Started by the agent (<c>tuner:auto_recover</c>), not requested.</summary>
    public bool IsAutomatic => Trigger.StartsWith(AutoTrigger, StringComparison.Ordinal);

    /// <summary>Still new or running.</summary>
    public bool InProgress => Status is RecoveryStatus.New or RecoveryStatus.Running;

    /// <summary>The <c>tuner:recovery</c> metadata value.</summary>
    public string MetadataValue =>
        $"{StatusText} image={ImageId ?? "-"} at={(FinishedAt ?? StartedAt).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} trigger={(IsAutomatic ? AutoTrigger : ManualTrigger)} reason={Reason}";
}
