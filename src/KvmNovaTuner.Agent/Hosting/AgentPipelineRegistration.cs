using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>Registers the event pipeline (connections, executors, reconciler) and the OpenStack API health check for the agent verb.</summary>
public static class AgentPipelineRegistration
{
    public static void Register(IServiceCollection services, TunerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<AgentRuntime>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AgentRuntime>());
        services.AddSingleton<IFlushOnStop>(sp => sp.GetRequiredService<AgentRuntime>());
        // Resolved lazily: hosted services are constructed before the runtime has started and built the pipeline.
        services.AddSingleton<IInstanceEventHandler>(sp => new RuntimeEventHandler(sp.GetRequiredService<AgentRuntime>()));
        services.AddSingleton<IReconciler, DomainReconciler>();
        // The runtime opens the cloud connection before the endpoint starts serving /healthz.
        services.AddSingleton<IHealthCheck>(sp => new OpenStackApiCheck(() => sp.GetRequiredService<AgentRuntime>().OpenStack, sp.GetRequiredService<TimeProvider>()));
        services.AddHookListener(options);
        services.AddSingleton(sp => new RestartOnCreateHandler(
            sp.GetRequiredService<BootDedupeHandler>(), sp.GetRequiredService<AgentRuntime>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<RestartOnCreateHandler>>()));
        services.AddHostedService<IntakeHostedService>();
        services.AddHostedService<HostControllerService>();
    }
}

/// <summary>
/// Forwards events to the runtime's pipeline once it exists; snapshot events are also followed in Glance, and an
/// instance that went to ERROR is offered to automatic recovery (the decision joins the event's journal detail).
/// </summary>
internal sealed class RuntimeEventHandler(AgentRuntime runtime) : IInstanceEventHandler
{
    public async Task<EventOutcome> HandleAsync(Core.Events.InstanceEvent instanceEvent, CancellationToken cancellationToken = default)
    {
        runtime.Snapshots?.TryEnqueue(instanceEvent);
        var run = await runtime.Pipeline.RunAsync(instanceEvent, cancellationToken).ConfigureAwait(false);
        return Core.Recovery.InstanceErrorState.IsErrorUpdate(instanceEvent)
            ? run.Outcome with { Detail = $"{run.Outcome.Detail}; {AutoRecoveryNote.For(run, runtime.AutoRecovery)}" }
            : run.Outcome;
    }
}
