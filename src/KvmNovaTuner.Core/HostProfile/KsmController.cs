namespace KvmNovaTuner.Core.HostProfile;

/// <summary>
/// The KSM controller over time: decides once per monitor interval, and at once when guests that opt out of KSM
/// appear or all leave (a <c>tuner:ksm=off</c> guest must not wait a minute). The clock is passed in, never read.
/// </summary>
public sealed class KsmController
{
    private readonly KsmPolicy _policy;
    private DateTimeOffset? _lastDecision;
    private bool _lastOptOut;

    public KsmController(KsmPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
    }

    /// <summary>The decision to write now, or null when nothing is due.</summary>
    public KsmDecision? Tick(DateTimeOffset now, KsmObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var optOut = observation.OptOutGuests > 0;
        var due = _lastDecision is not { } last || now - last >= _policy.MonitorInterval || optOut != _lastOptOut;
        if (!due)
        {
            return null;
        }
        _lastDecision = now;
        _lastOptOut = optOut;
        return KsmPolicyEngine.Decide(observation, _policy);
    }

    /// <summary>When the next periodic decision is due (null before the first).</summary>
    public DateTimeOffset? NextDue => _lastDecision + _policy.MonitorInterval;
}
