using KvmNovaTuner.Agent.Configuration;
using NLog;
using NLog.Config;
using NLog.Layouts;
using NLog.Targets;

namespace KvmNovaTuner.Agent.Logging;

/// <summary>
/// Builds the NLog configuration: one console target (stderr) in text or JSON layout, each line carrying the
/// stable event id and the structured properties of the message.
/// </summary>
public static class NLogSetup
{
    public const string TextLayout =
        "${longdate:universalTime=true}Z ${level:uppercase=true:padding=-5} ${event-properties:EventId_Id:whenEmpty=0}/${event-properties:EventId_Name:whenEmpty=-} ${logger:shortName=true}: ${message}${onexception:inner= ${exception:format=type,message}}";

    /// <summary>A configuration writing to <paramref name="target"/> (console when null).</summary>
    public static LoggingConfiguration Create(LogFormat format, string minimumLevel, Target? target = null)
    {
        var config = new LoggingConfiguration();
        target ??= new ConsoleTarget("console") { StdErr = true };
        var layout = format == LogFormat.Json ? JsonLayoutFor() : (Layout)TextLayout;
        switch (target)
        {
            case TargetWithLayout withLayout:
                withLayout.Layout = layout;
                break;
        }
        config.AddRule(LogLevel.FromString(ToNLogLevel(minimumLevel)), LogLevel.Fatal, target);
        return config;
    }

    private static JsonLayout JsonLayoutFor() => new()
    {
        Attributes =
        {
            new JsonAttribute("time", "${date:universalTime=true:format=o}"),
            new JsonAttribute("level", "${level:lowercase=true}"),
            new JsonAttribute("logger", "${logger}"),
            new JsonAttribute("event_id", "${event-properties:EventId_Id}") { Encode = false },
            new JsonAttribute("event", "${event-properties:EventId_Name}"),
            new JsonAttribute("message", "${message}"),
            new JsonAttribute("exception", "${exception:format=type,message}"),
        },
        IncludeEventProperties = true,
        ExcludeProperties = new HashSet<string> { "EventId", "EventId_Name", "EventId_Id", "EventName" },
    };

    private static string ToNLogLevel(string level) => level.ToLowerInvariant() switch
    {
        "information" => "Info",
        "critical" => "Fatal",
        var other => other,
    };
}
