using KvmNovaTuner.Agent.Logging;
using KvmNovaTuner.Agent.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// Runs the reconciler once at start and then every interval (on the injected <see cref="TimeProvider"/>).
/// A failing scan is logged and counted; the next tick tries again. Each scan counts as in-flight work.
/// </summary>
public sealed class ReconcileService(
    IReconciler reconciler,
    TimeSpan interval,
    TimeProvider timeProvider,
    InFlightTracker inFlight,
    AgentMetrics metrics,
    ILogger<ReconcileService> logger) : BackgroundService
{
    /// <summary>Scans completed (successfully or not) since start.</summary>
    public int Completed => Volatile.Read(ref _completed);

    private int _completed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, timeProvider);
        do
        {
            await RunOnceAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await PeriodicTicks.NextAsync(timer, stoppingToken).ConfigureAwait(false));
    }


    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        using var _ = inFlight.Begin();
        logger.LogDebug(LogEvents.ReconcileStarted, "Reconcile scan started");
        try
        {
            var s = await reconciler.ReconcileAsync(stoppingToken).ConfigureAwait(false);
            metrics.RecordReconcile(s);
            logger.LogInformation(LogEvents.ReconcileFinished, "Reconcile scan finished: {Domains} domains, {Repaired} repaired, {Failed} failed", s.Domains, s.Repaired, s.Failed);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            metrics.Reconciles.WithLabels("cancelled").Inc();
        }
#pragma warning disable CA1031 // boundary: a failed scan must not stop the daemon; it is logged and counted
        catch (Exception e)
#pragma warning restore CA1031
        {
            metrics.Reconciles.WithLabels("failed").Inc();
            logger.LogError(LogEvents.ReconcileFailed, e, "Reconcile scan failed");
        }
        finally
        {
            Interlocked.Increment(ref _completed);
        }
    }
}
