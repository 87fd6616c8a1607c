using System.Diagnostics;
using KvmNovaTuner.Integration.Tests.OpenStack;

namespace KvmNovaTuner.Integration.Tests.EndToEnd;

/// <summary>
/// End to end on the single-node stack: a tuned flavor made through the Nova API, a server booted with it on
/// Nova's fake-driver compute host, the agent binary consuming Nova's own versioned notification from RabbitMQ,
/// applying the plan to the instance's domain (libvirt test driver) and OVSDB port, and writing
/// <c>tuner:status</c> on the server through the Nova API.
/// </summary>
[NonParallelizable]
public sealed class TunedBootTests
{
    public static readonly IReadOnlyDictionary<string, string> TunedSpecs = new Dictionary<string, string>
    {
        ["hw:cpu_policy"] = "shared",
        ["tuner:blkio_weight"] = "600",
        ["quota:vif_inbound_average"] = "10240",
        ["quota:vif_outbound_average"] = "10240",
    };

    [Test]
    public async Task BootTunedFlavor_RunningAgent_HandlesNovasNotificationAndReportsStatusOnServer()
    {
        var stack = EndToEndStack.Require();
        using var admin = TestCloud.Connect();
        var clock = Stopwatch.StartNew();
        string? serverId = null, imageId = null, flavorId = null;
        using var agent = new EndToEndAgent(stack);
        try
        {
            await stack.PrepareAgentQueueAsync();
            var (image, flavor) = await EndToEndStack.CreateImageAndFlavorAsync(admin, TunedSpecs);
            (imageId, flavorId) = (image, flavor.Id);
            var name = TestCloud.Unique("knt-e2e");
            serverId = await admin.Nova.CreateServerAsync(name, image, flavor.Id);
            await agent.AddInstanceAsync(serverId, name, flavor with { ExtraSpecs = TunedSpecs });
            agent.Start(reconcileInterval: TimeSpan.FromMinutes(30));

            await BootedServer.WaitForStatusAsync(admin, serverId, "ACTIVE", EndToEndStack.ServerActive);
            var booted = clock.Elapsed;
            var rows = await JournalRow.WaitForCreateEndAsync(agent.JournalDb, [serverId], EndToEndStack.AgentOutcome, () => agent.Output);
            var metadata = (await EndToEndStack.WaitForTunerStatusAsync(admin, [serverId], EndToEndStack.AgentOutcome, () => agent.Output))[serverId];
            TestContext.Progress.WriteLine($"e2e: ACTIVE after {booted.TotalSeconds:F0} s, tuner:status after {clock.Elapsed.TotalSeconds:F0} s");

            var createEnd = rows.Where(r => r.EventType == "instance.create.end" && r.InstanceUuid == serverId).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(createEnd, Has.Count.EqualTo(1), "Nova's create.end for the server is journaled once:\n" + string.Join('\n', rows));
                Assert.That(createEnd[0].Status, Is.AnyOf("applied", "unchanged"), createEnd[0].ToString());
                Assert.That(agent.Process.Stderr + agent.Process.Stdout, Does.Match($"instance.create.end for {serverId}: (applied|unchanged)"), agent.Output);
                Assert.That(metadata["tuner:status"], Is.EqualTo("applied"), $"tuner:detail = {metadata.GetValueOrDefault("tuner:detail")}\n{agent.Output}");
                Assert.That(rows.Select(r => r.MessageId).Distinct().Count(), Is.EqualTo(rows.Count), "each message id is journaled once");
            });
            Assert.That(await agent.StopAsync(), Is.Zero, agent.Output);
        }
        finally
        {
            await EndToEndStack.CleanupAsync(admin, serverId is null ? [] : [serverId], flavorId, imageId);
            await agent.DeleteBridgeAsync();
            await stack.DeleteAgentQueueAsync();
        }
    }
}
