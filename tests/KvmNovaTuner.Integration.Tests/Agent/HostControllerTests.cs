using KvmNovaTuner.Agent.Demo;
using KvmNovaTuner.Agent.Pipeline;
using KvmNovaTuner.Integration.Tests.Libvirt;

namespace KvmNovaTuner.Integration.Tests.Agent;

/// <summary>The host profile's controllers run inside the agent, fed by the guests libvirt reports.</summary>
public sealed class HostControllerTests
{
    private static readonly Dictionary<string, string> KsmOff = new() { ["tuner:ksm"] = "off" };

    [Test]
    public async Task GuestMemory_FromLibvirt_SumsRunningGuestsAndCountsKsmOptOuts()
    {
        using var host = TestDriverHost.Create(domains: 3, extraSpecs: KsmOff);
        using var connection = host.Connect();

        var summary = await new LibvirtGuestMemory(() => connection).GetAsync();

        Assert.That(summary.OptOutGuests, Is.EqualTo(3));
        Assert.That(summary.CommittedKb, Is.GreaterThan(0));
        Assert.That((await new LibvirtGuestMemory(() => null).GetAsync()).CommittedKb, Is.Zero, "no libvirt: nothing committed");
    }

    [Test]
    public async Task Agent_GuestAsksKsmOff_ControllerStopsAndUnmergesKsmUnderTheHostRoot()
    {
        using var host = TestDriverHost.Create(domains: 1, extraSpecs: KsmOff);
        var dir = Directory.CreateTempSubdirectory("knt-controllers-").FullName;
        try
        {
            var root = Path.Combine(dir, "root");
            DemoHost.WriteSysfs(root);
            var run = Path.Combine(root, "sys", "kernel", "mm", "ksm", "run");
            await File.WriteAllTextAsync(run, "1\n");
            using var agent = TunerProcess.Start([
                "agent", "--set", "agent.health_listen=127.0.0.1:0", "--set", $"libvirt.uri={host.Uri}", "--set", $"host.root={root}",
                "--set", "host.profile=virtual-host", "--set", $"ovs.ovsdb=unix:{dir}/none.sock", "--set", "rabbitmq.url=amqp://guest:guest@127.0.0.1:1/",
                "--set", $"agent.state_dir={dir}/state", "--set", $"agent.spool_dir={dir}/spool", "--set", $"agent.hook_socket={dir}/agent.sock"]);

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while ((await File.ReadAllTextAsync(run)).Trim() != "2" && DateTime.UtcNow < deadline && !agent.HasExited)
            {
                await Task.Delay(200);
            }
            using var http = new HttpClient { BaseAddress = await agent.HealthEndpointAsync(TimeSpan.FromSeconds(10)), Timeout = TimeSpan.FromSeconds(15) };
            var metrics = await http.GetStringAsync("metrics");
            agent.Terminate();
            await agent.WaitForExitAsync(TimeSpan.FromSeconds(20));

            Assert.That((await File.ReadAllTextAsync(run)).Trim(), Is.EqualTo("2"), "KSM stopped with unmerge while a tuner:ksm=off guest runs; agent log:\n" + agent.Stderr);
            Assert.That(metrics, Does.Contain("kvm_nova_tuner_ksm_run 2"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
