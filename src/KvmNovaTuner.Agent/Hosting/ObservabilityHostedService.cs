using KvmNovaTuner.Agent.Observability;
using Microsoft.Extensions.Hosting;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>Starts the /healthz and /metrics endpoint with the host and closes it on stop.</summary>
public sealed class ObservabilityHostedService(ObservabilityServer server) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        server.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await server.DisposeAsync().ConfigureAwait(false);
}
