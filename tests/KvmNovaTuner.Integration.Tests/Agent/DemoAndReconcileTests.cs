using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using KvmNovaTuner.Agent.Demo;
using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Libvirt.Native;

namespace KvmNovaTuner.Integration.Tests.Agent;

/// <summary>
/// The demo verb end to end (libvirt test driver in-process, a private ovsdb-server when Open vSwitch is installed),
/// and the agent's start-up reconcile of Nova-style domains on a libvirt test host.
/// </summary>
public sealed class DemoAndReconcileTests
{
    private static string BundledNotifications => Path.Combine(TestContext.CurrentContext.TestDirectory, "demo", "notifications.jsonl");

    private static void RequireLibvirt()
    {
        if (!LibvirtRuntime.IsAvailable(out var reason))
        {
            TestContext.Progress.WriteLine($"SKIPPED: {reason}");
            Assert.Ignore(reason);
        }
    }

    [Test]
    public async Task Demo_ReplaysBundledNotifications_ReportsEachOutcome_InUnderAMinute_AndLeavesNothingRunning()
    {
        RequireLibvirt();
        var stopwatch = Stopwatch.StartNew();
        using var demo = TunerProcess.Start(["demo", "--json"]);
        var exit = await demo.WaitForExitAsync(TimeSpan.FromSeconds(90));
        stopwatch.Stop();

        Assert.That(exit, Is.Zero, demo.Stderr);
        using var report = JsonDocument.Parse(demo.Stdout);
        var events = report.RootElement.GetProperty("events").EnumerateArray().ToList();
        string? StatusOf(string flavor, string eventType) => events
            .Where(e => e.GetProperty("flavor").GetString() == flavor && e.GetProperty("event_type").GetString() == eventType && e.GetProperty("disposition").GetString() == "handled")
            .Select(e => e.GetProperty("status").GetString()).SingleOrDefault();

        Assert.Multiple(() =>
        {
            Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(60)));
            Assert.That(StatusOf("kn.broken.native-io", "instance.create.end"), Is.EqualTo("failed"), "an invalid flavor is refused");
            Assert.That(StatusOf("kn.io.large", "instance.create.end"), Is.EqualTo("pending-restart"), "disk cache/io only take effect at the next boot");
            Assert.That(StatusOf("kn.numa2.hugepages-2m.xlarge", "instance.create.start"), Is.EqualTo("applied"), "hugepage pools grow before the boot");
            Assert.That(events.Count(e => e.GetProperty("disposition").GetString() == "duplicate"), Is.EqualTo(1));
            Assert.That(events.Count(e => e.GetProperty("disposition").GetString() == "filtered"), Is.EqualTo(1));
        });
        if (report.RootElement.GetProperty("ovsdb").ValueKind == JsonValueKind.String)
        {
            var silver = events.Single(e => e.GetProperty("flavor").GetString() == "kn.net.silver");
            var port = silver.GetProperty("ovs_ports").EnumerateArray().Single();
            Assert.Multiple(() =>
            {
                Assert.That(silver.GetProperty("status").GetString(), Is.EqualTo("applied"));
                Assert.That(port.GetProperty("ingress_policing_rate").GetInt64(), Is.EqualTo(125000 * 8), "outbound average kB/s x 8 = kbit/s");
                Assert.That(port.GetProperty("owner").GetString(), Is.EqualTo("kvm-nova-tuner"));
            });
            var pid = report.RootElement.GetProperty("ovsdb_pid").GetInt32();
            Assert.That(ProcessExists(pid), Is.False, $"the demo's ovsdb-server (pid {pid}) must be stopped");
        }
        else
        {
            TestContext.Progress.WriteLine($"OVS part skipped by the demo: {report.RootElement.GetProperty("ovsdb_skipped")}");
        }
    }

    [Test]
    public async Task Agent_AtStart_ReconcilesEveryNovaDomainOnTheHost()
    {
        RequireLibvirt();
        var dir = Directory.CreateTempSubdirectory("knt-reconcile-").FullName;
        try
        {
            var instances = (await File.ReadAllLinesAsync(BundledNotifications))
                .Select(l => NotificationDecoder.Decode(l).Event).OfType<Core.Events.InstanceEvent>()
                .Where(e => e.Host == DemoRunner.Host && e.Flavor is not null).DistinctBy(e => e.InstanceUuid).ToList();
            var uri = DemoHost.WriteLibvirtHost(dir, instances);
            var root = Path.Combine(dir, "root");
            DemoHost.WriteSysfs(root);
            using var agent = TunerProcess.Start([
                "agent", "--set", "agent.health_listen=127.0.0.1:0", "--set", $"libvirt.uri={uri}", "--set", $"host.root={root}",
                "--set", $"ovs.ovsdb=unix:{dir}/none.sock", "--set", $"DEFAULT.host={DemoRunner.Host}",
                "--set", $"agent.state_dir={dir}/state", "--set", $"agent.spool_dir={dir}/spool", "--set", $"agent.hook_socket={dir}/agent.sock"]);

            var line = await agent.WaitForLineAsync("3101/ReconcileFinished", TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = await agent.HealthEndpointAsync(TimeSpan.FromSeconds(5)), Timeout = TimeSpan.FromSeconds(15) };
            var metrics = await http.GetStringAsync("metrics");
            agent.Terminate();
            await agent.WaitForExitAsync(TimeSpan.FromSeconds(20));

            Assert.That(line, Does.Contain($"{instances.Count} domains"));
            Assert.That(Regex.Matches(agent.Stderr, "2001/EventHandled").Count, Is.EqualTo(instances.Count));
            Assert.That(agent.Stderr, Does.Contain("specs from DomainXml"), "a reconcile resolves specs from the domain's Nova metadata");
            // Failed: the refused flavor, and the OVS-only flavor on a host whose OVSDB is down (nothing could be applied).
            Assert.That(metrics, Does.Contain("kvm_nova_tuner_events_total{event_type=\"tuner.reconcile\",outcome=\"failed\"} 2"));
            Assert.That(agent.Stderr, Does.Contain("failed (nothing could be applied: no executor for 'ovs_"));
            Assert.That(metrics, Does.Match(@"kvm_nova_tuner_hugepages_total\{node=""1"",page_size_kb=""2048""\} \d+"));
            Assert.That(metrics, Does.Contain("kvm_nova_tuner_reconciles_total{outcome=\"partial\"} 1"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
