namespace KvmNovaTuner.OpenStack.Reporting;

/// <summary>The tuning outcome written to a server's <c>tuner:status</c> metadata.</summary>
public enum TunerStatus
{
    Applied,
    Partial,
    PendingRestart,
    Failed,
}

/// <summary>Metadata keys and the wire form of <see cref="TunerStatus"/>.</summary>
public static class TunerMetadata
{
    public const string StatusKey = "tuner:status";
    public const string DetailKey = "tuner:detail";
    public const string SnapshotKey = "tuner:snapshot";
    public const string RecoveryKey = "tuner:recovery";

    public static string ToWire(this TunerStatus status) => status switch
    {
        TunerStatus.Applied => "applied",
        TunerStatus.Partial => "partial",
        TunerStatus.PendingRestart => "pending-restart",
        TunerStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    /// <summary>Parses a <c>tuner:status</c> value; null for anything that is not one of the four final values.</summary>
    public static TunerStatus? ParseWire(string? value) => value switch
    {
        "applied" => TunerStatus.Applied,
        "partial" => TunerStatus.Partial,
        "pending-restart" => TunerStatus.PendingRestart,
        "failed" => TunerStatus.Failed,
        _ => null,
    };
}
