using KvmNovaTuner.Core.Events;

namespace KvmNovaTuner.Libvirt.Reconciliation;

/// <summary>
/// Finds an instance's flavor when its domain XML carries no extra specs (Nova before 32): the Nova API, a
/// cache of events, or a test double.
/// </summary>
public interface ISpecResolver
{
    /// <summary>The instance's flavor with extra specs, or null when it cannot be found.</summary>
    Task<FlavorInfo?> ResolveAsync(string instanceUuid, CancellationToken cancellationToken = default);
}
