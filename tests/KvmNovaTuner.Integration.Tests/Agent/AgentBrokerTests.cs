using System.Text;
using System.Text.RegularExpressions;
using KvmNovaTuner.Agent.Demo;
using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Integration.Tests.Support;
using KvmNovaTuner.Libvirt.Native;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace KvmNovaTuner.Integration.Tests.Agent;

/// <summary>
/// The agent binary against a real RabbitMQ: Nova-format notifications published to Nova's exchange reach the
/// pipeline through the agent's own queue, a redelivered message id is handled once, and the tuning lands on a
/// libvirt test host.
/// </summary>
public sealed class AgentBrokerTests
{
    private static string BundledNotifications => Path.Combine(TestContext.CurrentContext.TestDirectory, "demo", "notifications.jsonl");

    [Test]
    public async Task Agent_ConsumesNovaNotifications_HandlesEachMessageIdOnce()
    {
        var url = ServiceEnvironment.Require("KNT_RABBITMQ_URL", "RabbitMQ");
        if (!LibvirtRuntime.IsAvailable(out var reason)) Assert.Ignore(reason);
        var lines = await File.ReadAllLinesAsync(BundledNotifications);
        var events = lines.Select(l => NotificationDecoder.Decode(l).Event!).ToList();
        var instances = events.Where(e => e.Host == DemoRunner.Host && e.Flavor is not null).DistinctBy(e => e.InstanceUuid).ToList();
        var dir = Directory.CreateTempSubdirectory("knt-agent-broker-").FullName;
        var host = $"broker-test-{Guid.NewGuid():N}"[..24];
        try
        {
            var uri = DemoHost.WriteLibvirtHost(dir, instances);
            DemoHost.WriteSysfs(Path.Combine(dir, "root"));
            using var agent = TunerProcess.Start([
                "agent", "--set", "agent.health_listen=127.0.0.1:0", "--set", $"libvirt.uri={uri}", "--set", $"host.root={dir}/root",
                "--set", $"ovs.ovsdb=unix:{dir}/none.sock", "--set", $"DEFAULT.host={host}", "--set", $"rabbitmq.url={url}",
                "--set", $"agent.state_dir={dir}/state", "--set", $"agent.spool_dir={dir}/spool", "--set", $"agent.hook_socket={dir}/agent.sock"]);
            await WaitForConsumerAsync(url, $"kvm-nova-tuner.{host}", TimeSpan.FromSeconds(60));

            // The demo's events are for demo-compute; re-address them to this agent's host name.
            string ForThisHost(int index) => lines[index].Replace(DemoRunner.Host, host, StringComparison.Ordinal);
            var dedicated = events[1];
            var silver = events[4];
            await PublishAsync(url, ForThisHost(1), ForThisHost(7), ForThisHost(4));

            await agent.WaitForLineAsync($"instance.create.end for {silver.InstanceUuid}", TimeSpan.FromSeconds(60));
            agent.Terminate();
            var exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));

            Assert.Multiple(() =>
            {
                Assert.That(events[7].MessageId, Is.EqualTo(dedicated.MessageId), "line 8 is a redelivery of line 2");
                Assert.That(Regex.Matches(agent.Stderr, $"instance.create.end for {dedicated.InstanceUuid}").Count, Is.EqualTo(1), "the redelivered message id must be handled once");
                Assert.That(agent.Stderr, Does.Match($"instance.create.end for {dedicated.InstanceUuid}: (applied|pending-restart|unchanged)"));
                Assert.That(exit, Is.Zero, agent.Stderr);
                Assert.That(agent.Stderr, Does.Not.Contain("guest:guest@"), "the broker password is never logged");
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task WaitForConsumerAsync(string url, string queue, TimeSpan timeout)
    {
        var factory = new ConnectionFactory { Uri = new Uri(url) };
        await using var connection = await factory.CreateConnectionAsync();
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            try
            {
                await using var channel = await connection.CreateChannelAsync(cancellationToken: cts.Token);
                var ok = await channel.QueueDeclarePassiveAsync(queue, cts.Token);
                if (ok.ConsumerCount > 0) return;
            }
            catch (OperationInterruptedException)
            {
                // not declared yet
            }
            await Task.Delay(200, cts.Token);
        }
    }

    private static async Task PublishAsync(string url, params string[] bodies)
    {
        var factory = new ConnectionFactory { Uri = new Uri(url) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var body in bodies)
        {
            await channel.BasicPublishAsync("nova", "versioned_notifications.info", mandatory: false, new BasicProperties(), Encoding.UTF8.GetBytes(body));
        }
    }
}
