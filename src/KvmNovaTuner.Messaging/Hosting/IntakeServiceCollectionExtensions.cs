using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Messaging.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Messaging.Hosting;

/// <summary>Registers the RabbitMQ intake in a Generic Host.</summary>
public static class IntakeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the intake as a hosted service. The handler is <paramref name="handler"/> when given, else the
    /// registered <see cref="IInstanceEventHandler"/>, else the decision-recording handler. Register it after the
    /// services the handler needs, so they have started first.
    /// </summary>
    public static IServiceCollection AddNotificationIntake(this IServiceCollection services, IntakeHostingOptions options, Func<IServiceProvider, IInstanceEventHandler>? handler = null)
    {
        services.AddSingleton(sp => new IntakeHostedService(
            options,
            () => handler?.Invoke(sp) ?? sp.GetService<IInstanceEventHandler>() ?? new DecisionRecordingHandler(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IntakeHostedService>());
        return services;
    }
}
