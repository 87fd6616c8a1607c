using KvmNovaTuner.Core.Events;
using KvmNovaTuner.OpenStack.Nova;

namespace KvmNovaTuner.Agent.Pipeline;

/// <summary>The server's embedded flavor (extra specs, microversion 2.47+) from the Nova API: the last resort of spec resolution.</summary>
public sealed class NovaFlavorLookup(NovaClient nova) : IFlavorLookup
{
    public async Task<FlavorInfo?> FindAsync(string instanceUuid, CancellationToken cancellationToken = default)
    {
        var server = await nova.FindServerAsync(instanceUuid, cancellationToken).ConfigureAwait(false);
        return server is null ? null : new FlavorInfo(server.FlavorName, null, null, null, server.FlavorExtraSpecs);
    }
}
