using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Agent.Pipeline;

/// <summary>Reads a domain's current tuning state (live XML when running), or null when this host has no such domain.</summary>
public interface IDomainObserver
{
    Task<DomainState?> ReadAsync(string instanceUuid, CancellationToken cancellationToken = default);
}

/// <summary>Reads the instance's OVS ports (by vm-uuid tag and tap names).</summary>
public interface IPortObserver
{
    Task<IReadOnlyList<OvsPortState>> ReadAsync(string instanceUuid, IReadOnlyList<string> tapNames, CancellationToken cancellationToken = default);
}

/// <summary>Reads the host's NUMA topology and hugepage pools.</summary>
public interface ITopologySource
{
    Task<HostTopology> ReadAsync(CancellationToken cancellationToken = default);
}

/// <summary>The last resort of spec resolution: the server's flavor (with extra specs) from the Nova API.</summary>
public interface IFlavorLookup
{
    Task<FlavorInfo?> FindAsync(string instanceUuid, CancellationToken cancellationToken = default);
}

/// <summary>Hands an event's outcome to the reporter (the durable outbox that writes Nova server metadata).</summary>
public interface IOutcomeReporter
{
    Task ReportAsync(PipelineRun run, CancellationToken cancellationToken = default);
}

/// <summary>Observers for parts that are not available on this host: nothing observed, nothing reported.</summary>
public sealed class NothingObserved : IPortObserver, IFlavorLookup, IOutcomeReporter, ITopologySource, IDomainObserver
{
    public static NothingObserved Instance { get; } = new();

    Task<IReadOnlyList<OvsPortState>> IPortObserver.ReadAsync(string instanceUuid, IReadOnlyList<string> tapNames, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OvsPortState>>([]);

    public Task<FlavorInfo?> FindAsync(string instanceUuid, CancellationToken cancellationToken = default) => Task.FromResult<FlavorInfo?>(null);

    public Task ReportAsync(PipelineRun run, CancellationToken cancellationToken = default) => Task.CompletedTask;

    Task<HostTopology> ITopologySource.ReadAsync(CancellationToken cancellationToken) => Task.FromResult(HostTopology.Unknown);

    Task<DomainState?> IDomainObserver.ReadAsync(string instanceUuid, CancellationToken cancellationToken) => Task.FromResult<DomainState?>(null);
}
