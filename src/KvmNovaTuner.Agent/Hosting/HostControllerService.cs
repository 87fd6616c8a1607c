using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Observability;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// Runs the host profile's adaptive controllers (KSM like ksmtuned, hugepage pool release) inside the agent, on the
/// controller loop the runtime built at start; off with <c>[host] controllers = false</c>.
/// </summary>
public sealed class HostControllerService(TunerOptions options, AgentRuntime runtime, AgentMetrics metrics, ILogger<HostControllerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Host.Controllers || runtime.HostControllers is not { } loop)
        {
            logger.LogInformation("host controllers are off ([host] controllers = {Enabled})", options.Host.Controllers);
            return;
        }
        loop.OnStep = metrics.RecordControllerStep;
        await loop.RunAsync(stoppingToken).ConfigureAwait(false);
    }
}
