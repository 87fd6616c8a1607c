using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Agent.Logging;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Rabbit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// Nova's notifications into the pipeline: the intake journal under the state directory and a RabbitMQ listener
/// (own queue on Nova's exchange, or the router's host key), through the same boot-dedupe handler the libvirt hook
/// uses. Stops consuming first on SIGTERM; a broker that is down at start is retried. A registered
/// <see cref="BrokerOptions"/> (the agent verb's --queue, --prefetch, exchange flags) replaces the defaults.
/// </summary>
public sealed class IntakeHostedService(
    TunerOptions options,
    RestartOnCreateHandler handler,
    TimeProvider time,
    ILoggerFactory loggers,
    AgentMetrics metrics,
    BrokerOptions? broker = null) : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);
    private readonly ILogger _logger = loggers.CreateLogger<IntakeHostedService>();

    /// <summary>The broker settings the agent's configuration implies (oslo's <c>rabbit://</c> becomes <c>amqp://</c>).</summary>
    public static BrokerOptions BrokerOptionsFor(TunerOptions options)
    {
        var url = options.RabbitMq.Url;
        var uri = url.Scheme == "rabbit" ? new UriBuilder(url) { Scheme = "amqp", Port = url.IsDefaultPort || url.Port < 0 ? 5672 : url.Port }.Uri : url;
        return new BrokerOptions
        {
            BrokerUri = uri,
            Queue = $"kvm-nova-tuner.{options.Default.Host}",
            NovaExchange = options.RabbitMq.Exchange,
            ClientName = $"kvm-nova-tuner-agent@{options.Default.Host}",
        };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(options.Agent.StateDir);
        await using var runtime = await IntakeRuntime.OpenAsync(options.Agent.StateDir, options.Default.Host, handler, time, TimeSpan.FromDays(7),
            loggers.CreateLogger<IntakeRuntime>(), stoppingToken).ConfigureAwait(false);
        var source = options.RabbitMq.UseRouter ? IntakeSource.Router : IntakeSource.Nova;
        var listener = new NotificationListener(broker ?? BrokerOptionsFor(options), source, runtime.Pipeline, loggers.CreateLogger<NotificationListener>());
        var export = ExportCountsAsync(listener, stoppingToken);
        await ConsumeAsync(listener, stoppingToken).ConfigureAwait(false);
        await export.ConfigureAwait(false);
        metrics.DeadLettered.WithLabels("poison").IncTo(listener.Counts.Poison);
    }

    /// <summary>Mirrors the listener's dead-letter count into <see cref="AgentMetrics.DeadLettered"/> every few seconds.</summary>
    private async Task ExportCountsAsync(NotificationListener listener, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        while (await PeriodicTicks.NextAsync(timer, stoppingToken).ConfigureAwait(false))
        {
            metrics.DeadLettered.WithLabels("poison").IncTo(listener.Counts.Poison);
        }
    }

    private async Task ConsumeAsync(NotificationListener listener, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await listener.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // boundary: the intake must outlive broker outages; every failure is logged and retried
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.LogWarning(LogEvents.IntakeFailed, "Intake from the broker failed ({Reason}); retrying in {Delay}", e.Message, RetryDelay);
                try
                {
                    await Task.Delay(RetryDelay, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }
}
