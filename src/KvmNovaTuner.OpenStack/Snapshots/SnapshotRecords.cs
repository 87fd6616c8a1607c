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

/// <summary>One recovery (rebuild from a snapshot) of a server, with the reason for its outcome.</summary>
public sealed record RecoveryRecord(long Id, string ServerId, string? ImageId, RecoveryStatus Status, string Reason, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt)
{
    public string StatusText => Status.ToString().ToLowerInvariant();

    /// <summary>The <c>tuner:recovery</c> metadata value.</summary>
    public string MetadataValue => $"{StatusText} image={ImageId ?? "-"} at={(FinishedAt ?? StartedAt).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} reason={Reason}";
}
