using System.Diagnostics;
using System.Text.RegularExpressions;
using KvmNovaTuner.Integration.Tests.OpenStack;

namespace KvmNovaTuner.Integration.Tests.EndToEnd;

/// <summary>
/// The fault test on the end-to-end stack: while a burst of servers is booting and the agent is handling Nova's
/// notifications, the broker, Keystone and the OVSDB server are restarted. Every instance must end tuned and
/// reported (<c>tuner:status</c> on each server), and nothing may be handled twice in effect (each notification
/// journaled once, each instance's plan applied once).
/// </summary>
[NonParallelizable]
public sealed class RestartBurstTests
{
    private const int Servers = 5;

    [Test]
    public async Task BurstOfBoots_BrokerKeystoneOvsdbRestarted_EveryInstanceTunedAndReportedOnce()
    {
        var stack = EndToEndStack.Require();
        foreach (var (variable, service) in new[] { ("KNT_RABBITMQ_SCRIPT", "RabbitMQ"), ("KNT_KEYSTONE_SCRIPT", "Keystone (restart verb)"), ("KNT_OVSDB_SCRIPT", "ovsdb-server") })
        {
            Support.ServiceEnvironment.Require(variable, service);
        }
        using var admin = TestCloud.Connect();
        var clock = Stopwatch.StartNew();
        var serverIds = new List<string>();
        string? imageId = null, flavorId = null;
        using var agent = new EndToEndAgent(stack);
        try
        {
            await stack.PrepareAgentQueueAsync();
            var (image, flavor) = await EndToEndStack.CreateImageAndFlavorAsync(admin, TunedBootTests.TunedSpecs);
            (imageId, flavorId) = (image, flavor.Id);
            for (var i = 0; i < Servers; i++)
            {
                var name = TestCloud.Unique($"knt-e2e-burst{i}");
                var id = await admin.Nova.CreateServerAsync(name, image, flavor.Id);
                serverIds.Add(id);
                await agent.AddInstanceAsync(id, name, flavor with { ExtraSpecs = TunedBootTests.TunedSpecs });
            }
            // Reconcile every 20 s: a notification Nova publishes while its exchange is gone (broker restart) is
            // unroutable, and the periodic scan is how the agent still tunes and reports that instance.
            agent.Start(reconcileInterval: TimeSpan.FromSeconds(20));
            var timeline = new List<string> { $"{Servers} servers requested at {clock.Elapsed.TotalSeconds:F0} s" };

            foreach (var (variable, service) in new[] { ("KNT_RABBITMQ_SCRIPT", "rabbitmq"), ("KNT_KEYSTONE_SCRIPT", "keystone"), ("KNT_OVSDB_SCRIPT", "ovsdb") })
            {
                var took = await ServiceRestart.RunAsync(variable, service, agent.WorkDir);
                timeline.Add($"{service} restarted in {took.TotalSeconds:F0} s (done at {clock.Elapsed.TotalSeconds:F0} s; servers: {await StatesAsync(admin, serverIds)})");
            }

            var budget = TimeSpan.FromMinutes(5) - clock.Elapsed;
            var metadata = await EndToEndStack.WaitForTunerStatusAsync(admin, serverIds, budget < TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : budget, () => agent.Output);
            timeline.Add($"all {Servers} reported at {clock.Elapsed.TotalSeconds:F0} s (servers: {await StatesAsync(admin, serverIds)})");
            var rows = await JournalRow.ReadAsync(agent.JournalDb);
            var output = agent.Process.Stderr + agent.Process.Stdout;
            TestContext.Progress.WriteLine("e2e fault: " + string.Join("; ", timeline));

            Assert.Multiple(() =>
            {
                foreach (var id in serverIds)
                {
                    Assert.That(metadata[id]["tuner:status"], Is.EqualTo("applied"), $"{id}: tuner:detail = {metadata[id].GetValueOrDefault("tuner:detail")}");
                    Assert.That(rows.Count(r => r.EventType == "instance.create.end" && r.InstanceUuid == id), Is.LessThanOrEqualTo(1), $"{id}: create.end journaled more than once");
                    var applied = Regex.Matches(output, $"for {id}: applied").Count;
                    Assert.That(applied, Is.EqualTo(1), $"{id}: the plan must be applied once (later events find it in place)\n{agent.Output}");
                }
                Assert.That(rows.Select(r => r.MessageId).Distinct().Count(), Is.EqualTo(rows.Count), "each message id is journaled once:\n" + string.Join('\n', rows));
            });
            TestContext.Progress.WriteLine($"e2e fault: create.end journaled for {serverIds.Count(id => rows.Any(r => r.EventType == "instance.create.end" && r.InstanceUuid == id))} of {Servers}; " +
                $"reconcile repaired {Regex.Matches(output, "tuner.reconcile for [0-9a-f-]+: applied").Count}");
            Assert.That(await agent.StopAsync(), Is.Zero, agent.Output);
        }
        finally
        {
            await EndToEndStack.CleanupAsync(admin, serverIds, flavorId, imageId);
            await agent.DeleteBridgeAsync();
            await stack.DeleteAgentQueueAsync();
        }
    }

    private static async Task<string> StatesAsync(KvmNovaTuner.OpenStack.OpenStackConnection admin, IEnumerable<string> ids)
    {
        var states = new List<string>();
        foreach (var id in ids)
        {
            var s = await admin.Nova.GetServerAsync(id);
            states.Add(s.Status);
        }
        return string.Join(",", states);
    }
}
