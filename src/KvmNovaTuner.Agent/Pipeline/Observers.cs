using System.Globalization;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;
using KvmNovaTuner.HostTuning.Topology;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Xml;
using KvmNovaTuner.Ovs.Qos;

namespace KvmNovaTuner.Agent.Pipeline;

/// <summary>Reads a domain through libvirt: the live XML when it runs (with the persistent vCPU pins), else the persistent one.</summary>
public sealed class LibvirtDomainObserver(LibvirtConnection connection) : IDomainObserver
{
    public Task<DomainState?> ReadAsync(string instanceUuid, CancellationToken cancellationToken = default)
    {
        using var domain = connection.LookupByUuid(instanceUuid);
        if (domain is null) return Task.FromResult<DomainState?>(null);
        return Task.FromResult<DomainState?>(DomainReader.Read(domain));
    }
}

/// <summary>Reads the instance's ports from OVSDB.</summary>
public sealed class OvsPortObserver(OvsPortReader reader) : IPortObserver
{
    public Task<IReadOnlyList<OvsPortState>> ReadAsync(string instanceUuid, IReadOnlyList<string> tapNames, CancellationToken cancellationToken = default) =>
        reader.ReadAsync(instanceUuid, tapNames, cancellationToken);
}

/// <summary>Reads NUMA cells and hugepage pools from sysfs under the host root, and exports the pools as metrics.</summary>
public sealed class SysfsTopologySource(HostTopologyReader reader, AgentMetrics? metrics = null, HousekeepingOptions? housekeeping = null) : ITopologySource
{
    public async Task<HostTopology> ReadAsync(CancellationToken cancellationToken = default)
    {
        var topology = await reader.ReadAsync(housekeeping, cancellationToken).ConfigureAwait(false);
        foreach (var cell in topology.Cells)
        {
            foreach (var pool in cell.Hugepages)
            {
                var labels = new[] { cell.Id.ToString(CultureInfo.InvariantCulture), pool.PageSizeKb.ToString(CultureInfo.InvariantCulture) };
                metrics?.HugepagesTotal.WithLabels(labels).Set(pool.Total);
                metrics?.HugepagesFree.WithLabels(labels).Set(pool.Free);
            }
        }
        return topology;
    }
}
