using System.Diagnostics;
using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Agent.Pipeline;
using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Filtering;
using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.HostTuning.Controllers;
using KvmNovaTuner.HostTuning.Executors;
using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.Topology;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Execution;
using KvmNovaTuner.Ovs.Qos;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Agent.Demo;

/// <summary>
/// The self-contained demo: a libvirt test host with Nova-style domains, a private ovsdb-server with tagged
/// ports and a sysfs tree in a work directory; replays the bundled notifications through decode, filter, dedupe
/// and the real pipeline; stops what it started and removes the work directory.
/// </summary>
public sealed class DemoRunner(TimeProvider time, ILoggerFactory? loggers = null)
{
    public const string Host = "demo-compute";
    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;

    public async Task<DemoReport> RunAsync(string notificationsFile, string workDirectory, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var messages = await Messaging.Replay.NotificationFile.ReadAsync(notificationsFile, cancellationToken).ConfigureAwait(false);
        var decoded = messages.Select(m => (m.Line, Result: NotificationDecoder.Decode(m.Body))).ToList();
        var instances = decoded.Where(d => d.Result.Event is { InstanceUuid: not null, Flavor: not null, Host: Host })
            .Select(d => d.Result.Event!).DistinctBy(e => e.InstanceUuid).ToList();

        var libvirtUri = DemoHost.WriteLibvirtHost(workDirectory, instances);
        var sysRoot = Path.Combine(workDirectory, "root");
        DemoHost.WriteSysfs(sysRoot);
        progress?.Invoke($"libvirt test host with {instances.Count} Nova-style domains: {libvirtUri}");

        DemoOvsdb? ovsdb = null;
        OvsQosExecutor? ovs = null;
        var ovsDir = Directory.CreateDirectory(Path.Combine(workDirectory, "ovs")).FullName;
        var ovsBinaries = DemoOvsdb.Locate(out var ovsSkipped);
        try
        {
            if (ovsBinaries is { } binaries)
            {
                ovsdb = await DemoOvsdb.StartAsync(ovsDir, binaries, cancellationToken).ConfigureAwait(false);
                await ovsdb.CreatePortsAsync(instances, cancellationToken).ConfigureAwait(false);
                ovs = await OvsQosExecutor.ConnectAsync(ovsdb.Address, cancellationToken: cancellationToken).ConfigureAwait(false);
                progress?.Invoke($"private ovsdb-server (pid {ovsdb.Pid}) at {ovsdb.Address} with {instances.Count} tagged ports on br-int");
            }
            else
            {
                progress?.Invoke($"no OVS part: {ovsSkipped}");
            }
            using var libvirt = LibvirtConnection.Open(libvirtUri);
            var reports = await ReplayAsync(decoded, libvirt, ovs, sysRoot, cancellationToken).ConfigureAwait(false);
            var pools = await new HugepagePoolWriter(new HostRoot(sysRoot)).ObserveAsync(cancellationToken).ConfigureAwait(false);
            return new DemoReport(Host, libvirtUri, ovsdb?.Address, ovsBinaries is null ? ovsSkipped : null, ovsdb?.Pid, reports,
                [.. pools.Select(p => $"node {p.Node} {p.PageSizeKb} kB: {p.Total} pages ({p.Free} free)")], clock.Elapsed);
        }
        finally
        {
            if (ovs is not null) await ovs.DisposeAsync().ConfigureAwait(false);
            if (ovsdb is not null) await ovsdb.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<List<DemoEventReport>> ReplayAsync(
        List<(int Line, DecodeResult Result)> decoded, LibvirtConnection libvirt, OvsQosExecutor? ovs, string sysRoot, CancellationToken cancellationToken)
    {
        var root = new HostRoot(sysRoot);
        var hugepages = new HostActionExecutor(new HugepagePoolWriter(root),
            new HugepagePoolController(HugepageBudget.FractionOf(DemoHost.NodeMemoryKb, 0.5), TimeSpan.FromMinutes(10)), time);
        var executors = new List<IActionExecutor> { new LibvirtActionExecutor(libvirt, _loggers.CreateLogger<LibvirtActionExecutor>()), hugepages };
        if (ovs is not null) executors.Add(ovs);
        IPortObserver ports = ovs is null ? NothingObserved.Instance : new OvsPortObserver(new OvsPortReader(ovs.Client));
        var pipeline = new InstanceEventPipeline(Host, new LibvirtDomainObserver(libvirt), ports,
            new SysfsTopologySource(new HostTopologyReader(root)), executors, NothingObserved.Instance, NothingObserved.Instance,
            new AgentMetrics(), new InFlightTracker(), _loggers.CreateLogger<InstanceEventPipeline>());

        var filter = new EventFilter(Host);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reports = new List<DemoEventReport>();
        foreach (var (line, result) in decoded)
        {
            if (result.Event is not { } e)
            {
                reports.Add(new DemoEventReport(line, "?", null, null, null, "undecodable", result.Error?.ToString() ?? "", null, [], []));
                continue;
            }
            DemoEventReport Dropped(string disposition, string reason) =>
                new(line, e.EventType, e.MessageId, e.InstanceUuid, e.Flavor?.Name, disposition, reason, null, [], []);
            if (!seen.Add(e.MessageId))
            {
                reports.Add(Dropped("duplicate", $"message {e.MessageId} was already handled (a broker redelivery): dropped"));
                continue;
            }
            var decision = filter.Evaluate(e);
            if (!decision.Accepted)
            {
                reports.Add(Dropped("filtered", decision.Reason));
                continue;
            }
            var (liveBefore, configBefore) = Xml(libvirt, e.InstanceUuid);
            var run = await pipeline.RunAsync(e, cancellationToken).ConfigureAwait(false);
            var (liveAfter, configAfter) = Xml(libvirt, e.InstanceUuid);
            var changes = XmlLineDiff.Changes(liveBefore, liveAfter).Select(c => "live   " + c)
                .Concat(XmlLineDiff.Changes(configBefore, configAfter).Select(c => "config " + c)).ToList();
            IReadOnlyList<OvsPortState> portsAfter = e.InstanceUuid is { } uuid
                ? await ports.ReadAsync(uuid, [.. e.Ports.Select(p => p.DeviceName).OfType<string>()], cancellationToken).ConfigureAwait(false)
                : [];
            reports.Add(new DemoEventReport(line, e.EventType, e.MessageId, e.InstanceUuid, e.Flavor?.Name, "handled", decision.Reason, run, portsAfter, changes));
        }
        return reports;
    }

    private static (string? Live, string? Config) Xml(LibvirtConnection libvirt, string? uuid)
    {
        if (uuid is null) return (null, null);
        using var domain = libvirt.LookupByUuid(uuid);
        return domain is null ? (null, null) : (domain.GetXml(), domain.GetXml(inactive: true));
    }
}
