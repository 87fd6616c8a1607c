using KvmNovaTuner.Agent.Configuration;
using Microsoft.Extensions.Logging;
using NLog.Extensions.Logging;
using NLog.Targets;

namespace KvmNovaTuner.Agent.Logging;

/// <summary>Plugs NLog into Microsoft.Extensions.Logging with event ids captured as <c>EventId_Id</c>/<c>EventId_Name</c>.</summary>
public static class AgentLogging
{
    public static ILoggingBuilder AddAgentNLog(this ILoggingBuilder builder, DefaultOptions options, Target? target = null)
    {
        builder.ClearProviders();
        builder.SetMinimumLevel(LogLevel.Trace);
        var providerOptions = new NLogProviderOptions
        {
            CaptureEventId = EventIdCaptureType.EventId_Id | EventIdCaptureType.EventId_Name,
            RemoveLoggerFactoryFilter = true,
        };
        builder.AddNLog(providerOptions, _ => new NLog.LogFactory { Configuration = NLogSetup.Create(options.LogFormat, options.LogLevel, target) });
        return builder;
    }
}
