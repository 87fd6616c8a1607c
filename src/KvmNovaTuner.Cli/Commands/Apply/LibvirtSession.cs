using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Topology;
using KvmNovaTuner.HostTuning.Controllers;
using KvmNovaTuner.HostTuning.Executors;
using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.Topology;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Execution;
using KvmNovaTuner.Libvirt.Native;
using KvmNovaTuner.Libvirt.Reconciliation;

namespace KvmNovaTuner.Cli.Commands.Apply;

/// <summary>
/// What `apply` and `reconcile` share: the libvirt connection (open failures are environment errors, exit 2),
/// the host topology (sysfs under --host-root when given, else libvirt's view), and the list of executors the
/// dispatcher hands actions to by kind. Further executors (OVSDB, host) are added to <see cref="Executors"/>.
/// </summary>
internal sealed class LibvirtSession : IDisposable
{
    private LibvirtSession(LibvirtConnection connection)
    {
        Connection = connection;
        Executors = [new LibvirtActionExecutor(connection)];
    }

    public LibvirtConnection Connection { get; }

    /// <summary>The executors actions are dispatched to, first match by kind.</summary>
    public List<IActionExecutor> Executors { get; }

    public ActionDispatcher Dispatcher => new(Executors);

    public static LibvirtSession Open(string uri)
    {
        if (!LibvirtRuntime.IsAvailable(out var reason))
        {
            throw new UsageException(reason);
        }
        try
        {
            return new LibvirtSession(LibvirtConnection.Open(uri));
        }
        catch (LibvirtException e)
        {
            throw new UsageException($"--libvirt-uri {uri}: {e.LibvirtMessage}");
        }
    }

    public async Task<HostTopology> ReadTopologyAsync(string? hostRoot, CancellationToken cancellationToken)
    {
        if (hostRoot is null)
        {
            return LibvirtTopologyReader.Read(Connection);
        }
        if (!Directory.Exists(hostRoot))
        {
            throw new UsageException($"--host-root: directory not found: {hostRoot}");
        }
        try
        {
            return await new HostTopologyReader(new HostRoot(hostRoot)).ReadAsync(cancellationToken: cancellationToken);
        }
        catch (HostTopologyException e)
        {
            throw new UsageException($"--host-root {hostRoot}: {e.Message}");
        }
    }

    /// <summary>
    /// With a host root, hugepage pool actions (planned before a boot) are applied there too, within the planner's
    /// default budget (a fraction of the largest node's memory).
    /// </summary>
    public void AddHostExecutor(string? hostRoot, HostTopology topology)
    {
        if (hostRoot is null || topology.IsUnknown)
        {
            return;
        }
        var nodeKb = topology.Cells.Max(c => c.MemoryKb);
        var budget = HugepageBudget.FractionOf(nodeKb, PlannerOptions.Default.HugepageBudgetFraction);
        Executors.Add(new HostActionExecutor(new HugepagePoolWriter(new HostRoot(hostRoot)), new HugepagePoolController(budget, TimeSpan.FromMinutes(10)), TimeProvider.System));
    }

    public void Dispose() => Connection.Dispose();
}
