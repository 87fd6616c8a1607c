using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>Registers the event pipeline (connections, executors, reconciler) for the agent verb.</summary>
public static class AgentPipelineRegistration
{
    public static void Register(IServiceCollection services, TunerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<AgentRuntime>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<AgentRuntime>());
        services.AddSingleton<IFlushOnStop>(sp => sp.GetRequiredService<AgentRuntime>());
        services.AddSingleton<IInstanceEventHandler>(sp => sp.GetRequiredService<AgentRuntime>().Pipeline);
        services.AddSingleton<IReconciler, DomainReconciler>();
    }
}
