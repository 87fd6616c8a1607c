using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Rabbit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// The agent's source: Nova's notifications (or the router's host key) through decode → filter → dedupe →
/// the agent's pipeline → journal → ack. Starts after <see cref="AgentRuntime"/>; a graceful stop finishes
/// the deliveries in flight before the runtime closes its connections.
/// </summary>
public sealed class IntakeListenerService(
    TunerOptions options,
    BrokerOptions broker,
    AgentRuntime runtime,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    /// <summary>How long a message id is remembered for de-duplication (the broker redelivers after crashes).</summary>
    public static readonly TimeSpan DedupeRetention = TimeSpan.FromDays(7);

    private readonly ILogger _logger = loggers.CreateLogger<IntakeListenerService>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(options.Agent.StateDir);
        await using var intake = await IntakeRuntime.OpenAsync(
            options.Agent.StateDir, options.Default.Host, runtime.Pipeline, time, DedupeRetention, _logger, stoppingToken).ConfigureAwait(false);
        var source = options.RabbitMq.UseRouter ? IntakeSource.Router : IntakeSource.Nova;
        var listener = new NotificationListener(broker, source, intake.Pipeline, _logger);
        await listener.RunAsync(stoppingToken).ConfigureAwait(false);
        _logger.LogInformation("intake stopped: {Counts}", listener.Counts);
    }
}

/// <summary>Registration of the RabbitMQ intake in the agent host.</summary>
public static class IntakeListenerRegistration
{
    /// <summary>Adds the intake listener; <paramref name="broker"/> carries the queue, prefetch and exchange flags.</summary>
    public static IServiceCollection AddIntakeListener(this IServiceCollection services, BrokerOptions broker)
    {
        services.AddSingleton(broker);
        services.AddHostedService<IntakeListenerService>();
        return services;
    }

    /// <summary>The broker options the agent's configuration implies (queue <c>kvm-nova-tuner.agent.HOST</c>).</summary>
    public static BrokerOptions BrokerFor(TunerOptions options) => new()
    {
        BrokerUri = options.RabbitMq.Url,
        Queue = $"kvm-nova-tuner.agent.{options.Default.Host}",
        NovaExchange = options.RabbitMq.Exchange,
        ClientName = $"kvm-nova-tuner-agent@{options.Default.Host}",
    };
}
