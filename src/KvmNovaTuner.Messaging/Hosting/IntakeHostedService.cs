using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Rabbit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Messaging.Hosting;

/// <summary>
/// The RabbitMQ intake as a Generic Host service: opens the store, connects in the background (the host keeps
/// starting while the broker is unreachable), and on stop finishes and acks in-flight deliveries before closing.
/// The handler is resolved at start, so it may come from a service that starts before this one.
/// </summary>
public sealed class IntakeHostedService(IntakeHostingOptions options, Func<IInstanceEventHandler> handler, TimeProvider time, ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _logger = loggers.CreateLogger("KvmNovaTuner.Intake");
    private readonly CancellationTokenSource _stopping = new();
    private IntakeRuntime? _runtime;
    private Task<ConsumerLoop>? _starting;

    /// <summary>The listener, once started (counts for health and metrics).</summary>
    public NotificationListener? Listener { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _runtime = await IntakeRuntime.OpenAsync(options.StateDir, options.Host, handler(), time, options.Retention, _logger, cancellationToken).ConfigureAwait(false);
        Listener = new NotificationListener(options.Broker, options.Source, _runtime.Pipeline, _logger);
        _starting = Listener.StartAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_starting is not null)
        {
            try
            {
                await using var loop = await _starting.ConfigureAwait(false);
                await loop.StopAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // stopped before the broker was reachable
            }
        }
        if (_runtime is not null)
        {
            await _runtime.DisposeAsync().ConfigureAwait(false);
        }
        _logger.LogInformation(IntakeLog.Broker, "Intake stopped: {Counts}", Listener?.Counts);
        _stopping.Dispose();
    }
}
