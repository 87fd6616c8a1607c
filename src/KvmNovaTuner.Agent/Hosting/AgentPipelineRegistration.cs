using KvmNovaTuner.Agent.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>Registers the event pipeline (intake, executors, reporter, reconciler) for the agent verb.</summary>
public static class AgentPipelineRegistration
{
    public static void Register(IServiceCollection services, TunerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        // The intake, executors and reporter are wired here once their components land on main.
    }
}
