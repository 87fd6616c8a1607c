namespace KvmNovaTuner.Core.HostProfile;

/// <summary>
/// The KSM controller over time. Adaptive (dense profiles): decides once per monitor interval, and at once when guests
/// that opt out of KSM appear or all leave (a <c>tuner:ksm=off</c> guest must not wait a minute). Guard only (other
/// profiles): leaves KSM as the profile set it, except that it stops and unmerges a running KSM while opt-out guests
/// run, and restarts it when the last one leaves. The clock is passed in, never read.
/// </summary>
public sealed class KsmController
{
    private readonly KsmPolicy _policy;
    private readonly bool _adaptive;
    private DateTimeOffset? _lastDecision;
    private bool _lastOptOut;
    private bool _guarding;

    public KsmController(KsmPolicy policy, bool adaptive = true)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _adaptive = adaptive;
    }

    /// <summary>The decision to write now, or null when nothing is due.</summary>
    public KsmDecision? Tick(DateTimeOffset now, KsmObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (!_adaptive)
        {
            return Guard(observation);
        }
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

    private KsmDecision? Guard(KsmObservation observation)
    {
        if (observation.OptOutGuests > 0 && !_guarding && observation.CurrentRun == 1)
        {
            _guarding = true;
            return new KsmDecision(2, observation.CurrentPagesToScan, 0,
                $"{observation.OptOutGuests} guest(s) ask tuner:ksm=off or realtime: stop KSM and unmerge", RunOnly: true);
        }
        if (observation.OptOutGuests == 0 && _guarding)
        {
            _guarding = false;
            return new KsmDecision(1, observation.CurrentPagesToScan, 0, "no guest opts out of KSM any more: restart it as the profile had it", RunOnly: true);
        }
        return null;
    }

    /// <summary>When the next periodic decision is due (null before the first).</summary>
    public DateTimeOffset? NextDue => _lastDecision + _policy.MonitorInterval;
}
