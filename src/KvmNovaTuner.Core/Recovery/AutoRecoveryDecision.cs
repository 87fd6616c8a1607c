namespace KvmNovaTuner.Core.Recovery;

/// <summary>What to do about an instance that went to ERROR.</summary>
public enum AutoRecoveryVerdict
{
    /// <summary>Start a recovery (rebuild from the newest active snapshot).</summary>
    Start,
    /// <summary>Not for this server (its flavor does not ask, or cannot be read): only journaled and logged.</summary>
    Skip,
    /// <summary>The flavor asks, but a running recovery or the loop guard holds it back: recorded as an ignored recovery.</summary>
    Ignore,
}

/// <summary>The verdict and why, in words for the journal, the log and <c>tuner:recovery</c>.</summary>
public sealed record AutoRecoveryDecision(AutoRecoveryVerdict Verdict, string Reason);
