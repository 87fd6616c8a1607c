namespace KvmNovaTuner.Core.Recovery;

/// <summary>What <see cref="AutoRecoveryPolicy"/> decides on: the instance's state, its flavor's wish, its earlier recoveries and now.</summary>
/// <param name="InstanceState">The state the event reports (<c>error</c> for a recovery to be considered).</param>
/// <param name="SpecsKnown">False when the flavor's extra specs were in neither the event, the domain XML nor the Nova API.</param>
/// <param name="AutoRecover">The flavor's <c>tuner:auto_recover</c> (false when absent).</param>
/// <param name="Earlier">The server's recorded recoveries, manual and automatic, in any order.</param>
public sealed record AutoRecoveryRequest(
    string? InstanceState,
    bool SpecsKnown,
    bool AutoRecover,
    IReadOnlyList<EarlierRecovery> Earlier,
    DateTimeOffset Now,
    AutoRecoveryOptions Options);

/// <summary>One recorded recovery of the server, as far as the policy needs it.</summary>
/// <param name="Automatic">Started by the agent (an ERROR event), not by <c>recover</c>.</param>
/// <param name="InProgress">Still new or running.</param>
/// <param name="Declined">Ended as ignored: it never rebuilt anything, so it cannot be part of a loop.</param>
public sealed record EarlierRecovery(long Id, bool Automatic, bool InProgress, bool Declined, DateTimeOffset StartedAt);

/// <summary>The loop guard's settings.</summary>
public sealed record AutoRecoveryOptions
{
    /// <summary>After an automatic recovery started, no other starts for this server within this window (<c>[snapshots] auto_recover_guard</c>).</summary>
    public TimeSpan Guard { get; init; } = TimeSpan.FromHours(1);

    /// <summary>A recovery still recorded as new or running after this long was abandoned (the agent stopped while it ran).</summary>
    public TimeSpan AbandonedAfter { get; init; } = TimeSpan.FromHours(1);
}
