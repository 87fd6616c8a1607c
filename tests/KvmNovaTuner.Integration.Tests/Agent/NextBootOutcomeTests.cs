using KvmNovaTuner.Agent.Demo;
using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Agent.Pipeline;
using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.Topology;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Execution;
using KvmNovaTuner.Libvirt.Native;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Integration.Tests.Agent;

/// <summary>
/// The outcome is what is in effect on the running domain: settings written only to the persistent definition stay
/// pending-restart on every later event until the running domain shows them (the demo host, libvirt test driver).
/// </summary>
public sealed class NextBootOutcomeTests
{
    private static string BundledNotifications => Path.Combine(TestContext.CurrentContext.TestDirectory, "demo", "notifications.jsonl");

    [Test]
    public async Task NextBootSettings_OnALaterEventForTheSameRunningDomain_StayPendingRestart()
    {
        if (!LibvirtRuntime.IsAvailable(out var reason))
        {
            Assert.Ignore(reason);
        }
        var dir = Directory.CreateTempSubdirectory("knt-nextboot-").FullName;
        try
        {
            var create = (await File.ReadAllLinesAsync(BundledNotifications))
                .Select(l => NotificationDecoder.Decode(l).Event).OfType<InstanceEvent>()
                .First(e => e.Flavor?.Name == "kn.io.large" && e.EventType == "instance.create.end");
            var uri = DemoHost.WriteLibvirtHost(dir, [create]);
            var root = Path.Combine(dir, "root");
            DemoHost.WriteSysfs(root);
            using var libvirt = LibvirtConnection.Open(uri);
            var pipeline = new InstanceEventPipeline(DemoRunner.Host, new LibvirtDomainObserver(libvirt), NothingObserved.Instance,
                new SysfsTopologySource(new HostTopologyReader(new HostRoot(root))), [new LibvirtActionExecutor(libvirt)],
                NothingObserved.Instance, NothingObserved.Instance, new AgentMetrics(), new InFlightTracker(),
                NullLogger<InstanceEventPipeline>.Instance);

            var first = await pipeline.HandleAsync(create);
            var reboot = await pipeline.HandleAsync(create with { EventType = "instance.reboot.end", MessageId = Guid.NewGuid().ToString() });
            var scan = await pipeline.HandleAsync(create with { EventType = "tuner.reconcile", MessageId = Guid.NewGuid().ToString() });

            Assert.That(first.Status, Is.EqualTo("pending-restart"), first.Detail);
            Assert.That(reboot.Status, Is.EqualTo("pending-restart"), "the running domain still lacks the disk settings: " + reboot.Detail);
            Assert.That(scan.Status, Is.EqualTo("pending-restart"), scan.Detail);
            Assert.That(reboot.Detail, Does.Contain("pending restart").And.Not.Contain("0 pending restart"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
