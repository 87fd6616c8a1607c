using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Messaging.Pipeline;

/// <summary>Stable log event ids of the intake.</summary>
public static class IntakeLog
{
    public static readonly EventId Recorded = new(2001, "intake-recorded");
    public static readonly EventId Duplicate = new(2002, "intake-duplicate");
    public static readonly EventId Poison = new(2003, "intake-poison");
    public static readonly EventId HandlerFailed = new(2004, "intake-handler-failed");
    public static readonly EventId Broker = new(2010, "intake-broker");
    public static readonly EventId AckFailed = new(2011, "intake-ack-failed");
    public static readonly EventId ProcessingFailed = new(2012, "intake-processing-failed");
    public static readonly EventId Routed = new(2020, "router-routed");
    public static readonly EventId NoHost = new(2021, "router-no-host");
    public static readonly EventId Unrouted = new(2022, "router-unrouted");
}
