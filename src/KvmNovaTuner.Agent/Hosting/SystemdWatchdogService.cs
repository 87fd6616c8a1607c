using System.Globalization;
using KvmNovaTuner.Agent.Logging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// Sends systemd <c>WATCHDOG=1</c> at half the unit's <c>WatchdogSec</c> (from <c>WATCHDOG_USEC</c>) while the
/// host runs. With <paramref name="sendReady"/> (NOTIFY_SOCKET set but the process not recognised as a systemd
/// service by UseSystemd's own check) it also sends <c>READY=1</c> once started.
/// </summary>
public sealed class SystemdWatchdogService(
    ISystemdNotifier notifier,
    TimeSpan? pingInterval,
    bool sendReady,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<SystemdWatchdogService> logger) : BackgroundService
{
    /// <summary>The ping period, or null when systemd asked for no watchdog.</summary>
    public static TimeSpan? PingInterval(string? watchdogUsec) =>
        long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0
            ? TimeSpan.FromMicroseconds(usec / 2.0)
            : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled) return;
        if (sendReady)
        {
            lifetime.ApplicationStarted.Register(() => notifier.Notify(ServiceState.Ready));
        }
        var interval = pingInterval;
        if (interval is null) return;
        logger.LogInformation(LogEvents.WatchdogEnabled, "systemd watchdog enabled: ping every {Interval}", interval.Value);
        using var timer = new PeriodicTimer(interval.Value, timeProvider);
        do
        {
            notifier.Notify(new ServiceState("WATCHDOG=1"));
        }
        while (await PeriodicTicks.NextAsync(timer, stoppingToken).ConfigureAwait(false));
    }

}
