using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Agent.Pipeline;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Recovery;
using KvmNovaTuner.OpenStack.Reporting;
using KvmNovaTuner.OpenStack.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Integration.Tests.OpenStack;

/// <summary>
/// tuner:auto_recover against real Keystone, Nova (fake driver) and Glance: a server of such a flavor is put into
/// ERROR with Nova's os-resetState admin action and the agent's auto-recovery is handed the instance.update event
/// in-process (as decoded; its specs resolved through the Nova API like the pipeline's last resort). It rebuilds the
/// server from its snapshot; a second ERROR within the guard window is recorded as ignored, not recovered again.
/// </summary>
public sealed class AutoRecoveryTests
{
    private string stateDir = "";

    [SetUp]
    public void CreateState() => stateDir = Directory.CreateTempSubdirectory("knt-it-autorecover").FullName;

    [TearDown]
    public void RemoveState()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(stateDir, recursive: true);
    }

    private static InstanceEvent WentToError(string serverId) => new()
    {
        Format = NotificationFormat.Versioned, EventType = "instance.update", MessageId = Guid.NewGuid().ToString(), InstanceUuid = serverId,
        Host = "knt-fake-compute", OldState = "active", State = "error",
    };

    private static async Task<RecoveryRecord> EndedAsync(SnapshotStore store, string serverId, long id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var record = store.Recoveries(serverId).Single(r => r.Id == id);
            if (!record.InProgress) return record;
            if (DateTime.UtcNow > deadline) Assert.Fail($"recovery {id} still {record.StatusText} after {timeout.TotalSeconds} s: {record.Reason}");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Drains the outbox until <c>tuner:recovery</c> on the server is an ignored report (rescheduled rows come due after seconds).</summary>
    private static async Task<string?> DeliveredAsync(KvmNovaTuner.OpenStack.OpenStackConnection admin, StatusReporter reporter, string serverId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await reporter.DrainOnceAsync();
            var value = (await admin.Nova.GetMetadataAsync(serverId)).GetValueOrDefault(TunerMetadata.RecoveryKey);
            if (value?.StartsWith("ignored", StringComparison.Ordinal) == true || DateTime.UtcNow > deadline) return value;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    [Test]
    public async Task ServerOfAutoRecoverFlavorGoesToError_RebuiltFromSnapshotToActive_SecondErrorWithinGuardIgnored()
    {
        using var admin = TestCloud.Connect();
        var (_, imageId, _) = await BootedServer.GetAsync(admin);
        var flavor = await admin.Nova.CreateFlavorAsync(new(TestCloud.Unique("knt-it-autorecover"), 1, 128, 1, "auto-recover integration test flavor"));
        await admin.Nova.SetExtraSpecsAsync(flavor.Id, new Dictionary<string, string> { ["tuner:auto_recover"] = "true", ["tuner:snapshot_keep"] = "2" });
        await EndToEnd.EndToEndStack.WaitForComputeUpAsync(admin);
        var serverId = await admin.Nova.CreateServerAsync(TestCloud.Unique("knt-it-autorecover"), imageId, flavor.Id);
        try
        {
            await BootedServer.WaitForStatusAsync(admin, serverId, "ACTIVE", TestCloud.SlowCloud);
            var snapshot = await BootedServer.SnapshotAsync(admin, serverId);
            var workspace = new SnapshotWorkspace(admin, stateDir);
            var metrics = new AgentMetrics();
            await using var auto = new AutoRecoveryRunner(workspace.Recovery, workspace.Store, new AutoRecoveryOptions(), metrics, TimeProvider.System, NullLogger.Instance);
            var specs = (await new NovaFlavorLookup(admin.Nova).FindAsync(serverId))?.ExtraSpecs;

            await admin.Nova.ResetStateAsync(serverId, "error");
            Assert.That((await admin.Nova.GetServerAsync(serverId)).Status, Is.EqualTo("ERROR"));
            var first = auto.Offer(WentToError(serverId), specs);
            Assert.That(first, Does.StartWith("auto-recovery: started (recovery "));
            var recovery = await EndedAsync(workspace.Store, serverId, workspace.Store.Recoveries(serverId).Single().Id, TestCloud.SlowCloud * 2);
            await workspace.Reporter.DrainOnceAsync();

            Assert.That(recovery.Status, Is.EqualTo(RecoveryStatus.Finished), recovery.Reason);
            Assert.That(recovery.ImageId, Is.EqualTo(snapshot));
            Assert.That(recovery.IsAutomatic, Is.True);
            await BootedServer.WaitForStatusAsync(admin, serverId, "ACTIVE", TestCloud.SlowCloud);
            var server = await admin.Nova.GetServerAsync(serverId);
            Assert.That(server.ImageId, Is.EqualTo(snapshot), "the server now runs from the snapshot");
            Assert.That(server.Metadata[TunerMetadata.RecoveryKey], Does.StartWith($"finished image={snapshot}").And.Contain("trigger=auto"));
            Assert.That(metrics.Recoveries.WithLabels("auto", "finished").Value, Is.EqualTo(1));

            await admin.Nova.ResetStateAsync(serverId, "error");
            var second = auto.Offer(WentToError(serverId), specs);
            await workspace.Reporter.DrainOnceAsync();

            Assert.That(second, Does.Contain("ignored").And.Contain($"loop guard: automatic recovery {recovery.Id} started"));
            var ignored = workspace.Store.Recoveries(serverId).First();
            Assert.That((ignored.Status, ignored.IsAutomatic), Is.EqualTo((RecoveryStatus.Ignored, true)));
            Assert.That(ignored.Reason, Does.StartWith("loop guard:").And.Contain("within the guard window of 1h"));
            Assert.That((await admin.Nova.GetServerAsync(serverId)).Status, Is.EqualTo("ERROR"), "no second rebuild was started");
            Assert.That(metrics.Recoveries.WithLabels("auto", "ignored").Value, Is.EqualTo(1));
            // Nova refuses metadata on a server in ERROR (409): the report waits in the outbox until the server leaves ERROR.
            var waiting = new OutboxStore(Path.Combine(stateDir, "outbox.db")).All().Single(i => i.ServerId == serverId && i.Key == TunerMetadata.RecoveryKey);
            Assert.That(waiting.Value, Does.StartWith("ignored image=-").And.Contain("trigger=auto reason=loop guard:"));
            await admin.Nova.ResetStateAsync(serverId, "active");
            Assert.That(await DeliveredAsync(admin, workspace.Reporter, serverId, TimeSpan.FromMinutes(3)), Does.StartWith("ignored image=-").And.Contain("reason=loop guard:"));
        }
        finally
        {
            await admin.Nova.DeleteServerAsync(serverId);
            await admin.Nova.DeleteFlavorAsync(flavor.Id);
        }
    }
}
