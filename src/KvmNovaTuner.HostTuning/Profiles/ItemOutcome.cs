namespace KvmNovaTuner.HostTuning.Profiles;

/// <summary>What happened to one managed item. JSON: applied, unchanged, would-change, restored, failed.</summary>
public enum ItemStatus
{
    Applied,
    Unchanged,
    WouldChange,
    Restored,
    Failed,
}

/// <summary>The outcome of applying or restoring one host value: the value before, the value read back after, and why.</summary>
public sealed record ItemOutcome(string Item, string HostPath, ItemStatus Status, string? Before, string? After, string Message);

/// <summary>One verify line: the value the profile wants, the value the host shows, pass or fail, and a note when the rule differs.</summary>
public sealed record VerifyOutcome(string Item, string HostPath, string Desired, string? Actual, bool Pass, string? Note = null);
