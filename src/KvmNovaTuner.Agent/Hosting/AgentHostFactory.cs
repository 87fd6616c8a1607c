using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Logging;
using KvmNovaTuner.Agent.Observability;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using NLog.Targets;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// Composes the agent as a Generic Host: NLog logging, systemd readiness and watchdog, the observability
/// endpoint, the periodic reconcile and graceful stop. Pipeline pieces are added through <c>configure</c>.
/// </summary>
public static class AgentHostFactory
{
    public static IHost Build(TunerOptions options, Action<IServiceCollection>? configure = null, Target? logTarget = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "kvm-nova-tuner" });
        builder.Logging.AddAgentNLog(options.Default, logTarget);
        builder.Services.AddSystemd();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.Agent.ShutdownTimeout);
        var s = builder.Services;
        s.AddSingleton(options);
        s.TryAddSingleton(TimeProvider.System);
        s.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
        s.AddSingleton<AgentMetrics>();
        s.AddSingleton<InFlightTracker>();
        foreach (var check in DefaultHealthChecks.From(options))
        {
            s.AddSingleton(check);
        }
        s.AddSingleton(sp => new HealthReporter(sp.GetServices<IHealthCheck>(), TimeSpan.FromSeconds(2)));
        s.AddSingleton(sp => new ObservabilityServer(
            ListenParser.TryParse(options.Agent.HealthListen, out var ep) ? ep : throw new ConfigurationException($"[agent] health_listen = '{options.Agent.HealthListen}': must be IP:PORT"),
            sp.GetRequiredService<AgentMetrics>(), sp.GetRequiredService<HealthReporter>(), sp.GetRequiredService<ILogger<ObservabilityServer>>()));
        s.TryAddSingleton<IReconciler, NoReconciler>();

        // Stopped in reverse order: the graceful stop (drain + flush) runs last.
        s.AddHostedService<GracefulStopService>();
        // Pipeline services start before the endpoint and the timers that use them.
        configure?.Invoke(s);
        s.AddHostedService<ObservabilityHostedService>();
        s.AddHostedService(sp => new SystemdWatchdogService(
            sp.GetRequiredService<ISystemdNotifier>(),
            SystemdWatchdogService.PingInterval(Environment.GetEnvironmentVariable("WATCHDOG_USEC")),
            sendReady: !SystemdHelpers.IsSystemdService(),
            sp.GetRequiredService<IHostApplicationLifetime>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SystemdWatchdogService>>()));
        s.AddHostedService(sp => new ReconcileService(
            sp.GetRequiredService<IReconciler>(), options.Agent.ReconcileInterval, sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<InFlightTracker>(), sp.GetRequiredService<AgentMetrics>(), sp.GetRequiredService<ILogger<ReconcileService>>()));
        return builder.Build();
    }
}
