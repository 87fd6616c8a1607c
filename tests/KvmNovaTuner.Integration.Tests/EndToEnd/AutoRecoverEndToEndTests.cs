using System.Diagnostics;
using KvmNovaTuner.Integration.Tests.OpenStack;
using KvmNovaTuner.OpenStack.Reporting;

namespace KvmNovaTuner.Integration.Tests.EndToEnd;

/// <summary>
/// tuner:auto_recover end to end: a server of such a flavor, booted on the single-node stack and tuned by the
/// running agent binary, is snapshotted and then put into ERROR with Nova's os-resetState admin action. Nova's own
/// <c>instance.update</c> notification (active → error) reaches the agent through RabbitMQ, and the agent rebuilds
/// the server from its snapshot and reports <c>tuner:recovery</c> on it.
/// </summary>
[NonParallelizable]
public sealed class AutoRecoverEndToEndTests
{
    [Test]
    public async Task ServerOfAutoRecoverFlavorResetToError_RunningAgent_RebuildsItFromItsSnapshotOnNovasOwnNotification()
    {
        var stack = EndToEndStack.Require();
        using var admin = TestCloud.Connect();
        var specs = new Dictionary<string, string>(TunedBootTests.TunedSpecs) { ["tuner:auto_recover"] = "true" };
        var clock = Stopwatch.StartNew();
        string? serverId = null, imageId = null, flavorId = null, snapshot = null;
        using var agent = new EndToEndAgent(stack);
        try
        {
            await stack.PrepareAgentQueueAsync();
            var (image, flavor) = await EndToEndStack.CreateImageAndFlavorAsync(admin, specs);
            (imageId, flavorId) = (image, flavor.Id);
            var name = TestCloud.Unique("knt-e2e-recover");
            serverId = await admin.Nova.CreateServerAsync(name, image, flavor.Id);
            await agent.AddInstanceAsync(serverId, name, flavor with { ExtraSpecs = specs });
            agent.Start(reconcileInterval: TimeSpan.FromMinutes(30));
            await BootedServer.WaitForStatusAsync(admin, serverId, "ACTIVE", EndToEndStack.ServerActive);
            await EndToEndStack.WaitForTunerStatusAsync(admin, [serverId], EndToEndStack.AgentOutcome, () => agent.Output);
            snapshot = await BootedServer.SnapshotAsync(admin, serverId);

            await admin.Nova.ResetStateAsync(serverId, "error");
            var reported = await WaitForRecoveryReportAsync(admin, serverId, EndToEndStack.ServerActive, () => agent.Output);
            var server = await admin.Nova.GetServerAsync(serverId);
            var rows = await JournalRow.ReadAsync(agent.JournalDb);
            TestContext.Progress.WriteLine($"e2e auto-recover: tuner:recovery '{reported}' after {clock.Elapsed.TotalSeconds:F0} s");

            Assert.Multiple(() =>
            {
                Assert.That(reported, Does.StartWith($"finished image={snapshot}").And.Contain("trigger=auto"));
                Assert.That(server.Status, Is.EqualTo("ACTIVE"), server.Fault);
                Assert.That(server.ImageId, Is.EqualTo(snapshot), "the server was rebuilt from its snapshot");
                Assert.That(rows.Count(r => r.EventType == "instance.update" && r.InstanceUuid == serverId && r.Detail.Contains("auto-recovery: started", StringComparison.Ordinal)),
                    Is.EqualTo(1), "Nova's instance.update into error started one recovery:\n" + string.Join('\n', rows));
            });
            Assert.That(await agent.StopAsync(), Is.Zero, agent.Output);
        }
        finally
        {
            await EndToEndStack.CleanupAsync(admin, serverId is null ? [] : [serverId], flavorId, imageId);
            if (snapshot is not null)
            {
                try { await admin.Glance.DeleteImageAsync(snapshot); } catch (KvmNovaTuner.OpenStack.Http.OpenStackApiException) { }
            }
            await agent.DeleteBridgeAsync();
            await stack.DeleteAgentQueueAsync();
        }
    }

    /// <summary>Polls the server's <c>tuner:recovery</c> until it reports a final recovery, or fails with the agent's output.</summary>
    private static async Task<string> WaitForRecoveryReportAsync(KvmNovaTuner.OpenStack.OpenStackConnection admin, string serverId, TimeSpan timeout, Func<string> diagnostics)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = (await admin.Nova.GetMetadataAsync(serverId)).GetValueOrDefault(TunerMetadata.RecoveryKey);
            if (value is not null && (value.StartsWith("finished", StringComparison.Ordinal) || value.StartsWith("failed", StringComparison.Ordinal)))
            {
                return value;
            }
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"no final tuner:recovery on {serverId} within {timeout.TotalSeconds:F0} s (now '{value}')\n{diagnostics()}");
            }
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }
}
