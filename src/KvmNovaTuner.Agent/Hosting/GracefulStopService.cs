using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Logging;
using KvmNovaTuner.Core.Secrets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// Registered first so it stops last: after the intake and timers have stopped taking work, it waits for
/// in-flight events to finish, then runs the registered flush steps (outbox, journals), all within the
/// host's shutdown timeout.
/// </summary>
public sealed class GracefulStopService(
    TunerOptions options,
    InFlightTracker inFlight,
    IEnumerable<IFlushOnStop> flushers,
    ILogger<GracefulStopService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation(LogEvents.ConfigurationLoaded, "Configuration: host {Host}, broker {Broker}, libvirt {Libvirt}, ovsdb {Ovsdb}, host root {HostRoot}, cloud {Cloud}",
            options.Default.Host, SecretRedactor.RedactUrl(options.RabbitMq.Url.OriginalString), options.Libvirt.Uri, options.Ovs.Ovsdb, options.Host.Root, options.OpenStack.Cloud);
        logger.LogInformation(LogEvents.AgentStarted, "Agent started on host {Host}", options.Default.Host);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation(LogEvents.AgentStopping, "Agent stopping: waiting for {Count} in-flight event(s)", inFlight.Count);
        try
        {
            await inFlight.WaitIdleAsync(cancellationToken).ConfigureAwait(false);
            foreach (var flusher in flushers)
            {
                await flusher.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            logger.LogInformation(LogEvents.AgentStopped, "Agent stopped cleanly");
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning(LogEvents.ShutdownTimedOut, "Shutdown timeout reached with {Count} event(s) still in flight", inFlight.Count);
        }
    }
}

/// <summary>Something to flush and close at the end of a graceful stop (outbox, journal, connections).</summary>
public interface IFlushOnStop
{
    Task FlushAsync(CancellationToken cancellationToken = default);
}
