using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Logging;

/// <summary>
/// The agent's stable log event ids (a public contract: operators alert on them). Ranges: 1xxx lifecycle,
/// 2xxx intake and events, 3xxx apply and reconcile, 4xxx observability, 5xxx hook.
/// </summary>
public static class LogEvents
{
    public static readonly EventId AgentStarting = new(1000, nameof(AgentStarting));
    public static readonly EventId AgentStarted = new(1001, nameof(AgentStarted));
    public static readonly EventId AgentStopping = new(1002, nameof(AgentStopping));
    public static readonly EventId AgentStopped = new(1003, nameof(AgentStopped));
    public static readonly EventId ShutdownTimedOut = new(1004, nameof(ShutdownTimedOut));
    public static readonly EventId ConfigurationLoaded = new(1010, nameof(ConfigurationLoaded));
    public static readonly EventId WatchdogEnabled = new(1020, nameof(WatchdogEnabled));
    public static readonly EventId OvsdbUnavailable = new(1030, nameof(OvsdbUnavailable));
    public static readonly EventId LibvirtUnavailable = new(1031, nameof(LibvirtUnavailable));

    public static readonly EventId EventReceived = new(2000, nameof(EventReceived));
    public static readonly EventId EventHandled = new(2001, nameof(EventHandled));
    public static readonly EventId EventFailed = new(2002, nameof(EventFailed));
    public static readonly EventId EventIgnored = new(2003, nameof(EventIgnored));
    public static readonly EventId SpecsUnresolved = new(2010, nameof(SpecsUnresolved));
    public static readonly EventId IntakeFailed = new(2020, nameof(IntakeFailed));
    public static readonly EventId ReporterDisabled = new(2030, nameof(ReporterDisabled));
    public static readonly EventId AutoRecoveryStarted = new(2040, nameof(AutoRecoveryStarted));
    public static readonly EventId AutoRecoverySkipped = new(2041, nameof(AutoRecoverySkipped));
    public static readonly EventId AutoRecoveryIgnored = new(2042, nameof(AutoRecoveryIgnored));
    public static readonly EventId AutoRecoveryEnded = new(2043, nameof(AutoRecoveryEnded));
    public static readonly EventId AutoRecoveryUnavailable = new(2044, nameof(AutoRecoveryUnavailable));
    public static readonly EventId RestartToApply = new(2050, nameof(RestartToApply));

    public static readonly EventId ActionApplied = new(3000, nameof(ActionApplied));
    public static readonly EventId ActionFailed = new(3001, nameof(ActionFailed));
    public static readonly EventId ReconcileStarted = new(3100, nameof(ReconcileStarted));
    public static readonly EventId ReconcileFinished = new(3101, nameof(ReconcileFinished));
    public static readonly EventId ReconcileFailed = new(3102, nameof(ReconcileFailed));
    public static readonly EventId HostProfileUnavailable = new(3200, nameof(HostProfileUnavailable));

    public static readonly EventId HealthEndpointListening = new(4000, nameof(HealthEndpointListening));
    public static readonly EventId HealthCheckFailed = new(4001, nameof(HealthCheckFailed));
    public static readonly EventId HttpRequestFailed = new(4002, nameof(HttpRequestFailed));

    public static readonly EventId HookEventReceived = new(5000, nameof(HookEventReceived));
    public static readonly EventId HookSpoolReplayed = new(5001, nameof(HookSpoolReplayed));
    public static readonly EventId HookSocketFailed = new(5002, nameof(HookSocketFailed));
    public static readonly EventId HookIncidentReported = new(5003, nameof(HookIncidentReported));
}
