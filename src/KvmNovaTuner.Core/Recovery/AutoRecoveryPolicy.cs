using System.Globalization;

namespace KvmNovaTuner.Core.Recovery;

/// <summary>
/// Decides whether an instance that went to ERROR is recovered automatically (<c>tuner:auto_recover</c>): once per
/// guard window, never while another recovery of it runs. A recovery that itself ends in ERROR therefore does not
/// start another one: that is the loop guard.
/// </summary>
public static class AutoRecoveryPolicy
{
    public static AutoRecoveryDecision Decide(AutoRecoveryRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!InstanceErrorState.IsError(request.InstanceState))
        {
            return Skip($"the instance is {request.InstanceState ?? "in an unknown state"}, not in error");
        }
        if (!request.SpecsKnown)
        {
            return Skip("the flavor's extra specs are unknown (not in the event, the domain XML or the Nova API), so tuner:auto_recover cannot be read");
        }
        if (!request.AutoRecover)
        {
            return Skip("the flavor does not ask for it (tuner:auto_recover is not true)");
        }
        var options = request.Options;
        var running = request.Earlier
            .Where(r => r.InProgress && request.Now - r.StartedAt < options.AbandonedAfter)
            .OrderByDescending(r => r.StartedAt).FirstOrDefault();
        if (running is not null)
        {
            return Ignore($"recovery {running.Id} of this server is already running (started {At(running.StartedAt)})");
        }
        var recent = request.Earlier
            .Where(r => r.Automatic && !r.Declined && request.Now - r.StartedAt < options.Guard)
            .OrderByDescending(r => r.StartedAt).FirstOrDefault();
        if (recent is not null)
        {
            return Ignore($"loop guard: automatic recovery {recent.Id} started {At(recent.StartedAt)}, within the guard window of {Span(options.Guard)}");
        }
        return new AutoRecoveryDecision(AutoRecoveryVerdict.Start,
            $"the flavor asks for it (tuner:auto_recover=true) and no automatic recovery started within {Span(options.Guard)}");
    }

    private static AutoRecoveryDecision Skip(string reason) => new(AutoRecoveryVerdict.Skip, reason);

    private static AutoRecoveryDecision Ignore(string reason) => new(AutoRecoveryVerdict.Ignore, reason);

    private static string At(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Span(TimeSpan s)
    {
        var (value, unit) = s.TotalSeconds % 3600 == 0 ? (s.TotalHours, "h") : s.TotalSeconds % 60 == 0 ? (s.TotalMinutes, "m") : (s.TotalSeconds, "s");
        return value.ToString("0.###", CultureInfo.InvariantCulture) + unit;
    }
}
