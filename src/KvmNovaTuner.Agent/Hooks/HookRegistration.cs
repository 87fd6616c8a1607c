using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// Adds the libvirt hook listener to the agent host. Needs an <see cref="IInstanceEventHandler"/> registered (the
/// pipeline); registers <see cref="BootLedger"/> and <see cref="BootDedupeHandler"/> (the same instance must wrap the
/// Nova intake's handler so the hook and Nova tune one boot once) and the <see cref="HookListenerService"/>.
/// </summary>
public static class HookRegistration
{
    public static IServiceCollection AddHookListener(this IServiceCollection services, TunerOptions options) =>
        services.AddHookListener(HookListenerOptions.From(options));

    public static IServiceCollection AddHookListener(this IServiceCollection services, HookListenerOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.TryAddSingleton(sp => new BootLedger(sp.GetRequiredService<TimeProvider>(), options.BootWindow));
        services.TryAddSingleton(sp => new BootDedupeHandler(sp.GetRequiredService<IInstanceEventHandler>(), sp.GetRequiredService<BootLedger>()));
        services.AddSingleton(sp => new HookListenerService(
            options, sp.GetRequiredService<BootDedupeHandler>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<HookListenerService>>(),
            sp.GetService<AgentMetrics>()));
        services.AddHostedService(sp => sp.GetRequiredService<HookListenerService>());
        return services;
    }
}
