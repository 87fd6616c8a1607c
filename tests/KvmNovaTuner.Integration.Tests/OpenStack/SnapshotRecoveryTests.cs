using KvmNovaTuner.Cli.Commands.Snapshots;
using KvmNovaTuner.OpenStack;
using KvmNovaTuner.OpenStack.Reporting;
using KvmNovaTuner.OpenStack.Snapshots;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Integration.Tests.OpenStack;

/// <summary>
/// Snapshots and recovery against real Nova (fake driver) and real Glance (snapshots as in <see cref="BootedServer.SnapshotAsync"/>).
/// </summary>
public sealed class SnapshotRecoveryTests
{
    private string stateDir = "";

    [SetUp]
    public void CreateState() => stateDir = Directory.CreateTempSubdirectory("knt-it-snap").FullName;

    [TearDown]
    public void RemoveState()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(stateDir, recursive: true);
    }

    private static Task<string> SnapshotAsync(OpenStackConnection admin, string serverId, int size = 1024) => BootedServer.SnapshotAsync(admin, serverId, size);

    [Test]
    public async Task Snapshot_CreatedThroughNova_TrackedToActiveAndReportedOnTheServer()
    {
        using var admin = TestCloud.Connect();
        var (serverId, _, _) = await BootedServer.GetAsync(admin);
        var workspace = new SnapshotWorkspace(admin, stateDir);

        var imageId = await SnapshotAsync(admin, serverId, 2048);
        var record = await workspace.Tracker.OnEventAsync(new Core.Events.InstanceEvent
        {
            Format = Core.Events.NotificationFormat.Versioned, EventType = "instance.snapshot.end", MessageId = "m1",
            InstanceUuid = serverId, SnapshotImageId = imageId,
        });
        await workspace.Reporter.DrainOnceAsync();

        Assert.That(record!.Status, Is.EqualTo("active"));
        Assert.That(record.SizeBytes, Is.EqualTo(2048));
        Assert.That(workspace.Store.Snapshots(serverId).Select(s => s.ImageId), Does.Contain(imageId));
        var metadata = await admin.Nova.GetMetadataAsync(serverId);
        Assert.That(metadata[TunerMetadata.SnapshotKey], Does.StartWith($"image={imageId} at=").And.EndWith("size=2048"));
    }

    [Test]
    public async Task Prune_KeepTwo_DeletesExactlyTheOlderUnprotectedSnapshotOfThatServer()
    {
        using var admin = TestCloud.Connect();
        var (serverId, baseImage, _) = await BootedServer.GetAsync(admin);
        var otherServer = Guid.NewGuid().ToString();
        var protectedOld = await admin.Glance.CreateImageAsync(TestCloud.Unique("knt-it-protected"),
            new Dictionary<string, string> { ["image_type"] = "snapshot", ["instance_uuid"] = serverId });
        await admin.Glance.UploadAsync(protectedOld.Id, new byte[512]);
        await admin.Glance.UpdateAsync(protectedOld.Id, new Dictionary<string, JToken> { ["protected"] = true });
        var foreign = await admin.Glance.CreateImageAsync(TestCloud.Unique("knt-it-foreign"),
            new Dictionary<string, string> { ["image_type"] = "snapshot", ["instance_uuid"] = otherServer });
        await admin.Glance.UploadAsync(foreign.Id, new byte[512]);
        var older = await SnapshotAsync(admin, serverId);
        var newer = await SnapshotAsync(admin, serverId);
        var newest = await SnapshotAsync(admin, serverId);

        var dry = await TestCloud.RunCliAsync(SnapshotsCommand.Create(), "snapshots", "prune", "--server", serverId, "--keep", "2", "--dry-run", "--cloud", "admin", "--state-dir", stateDir);
        Assert.That(dry.Exit, Is.EqualTo(0), dry.Err);
        Assert.That(dry.Out, Does.Contain($"would delete {older}"));
        Assert.That(await admin.Glance.FindImageAsync(older), Is.Not.Null, "a dry run deletes nothing");

        var run = await TestCloud.RunCliAsync(SnapshotsCommand.Create(), "snapshots", "prune", "--server", serverId, "--keep", "2", "--cloud", "admin", "--state-dir", stateDir, "--json");
        Assert.That(run.Exit, Is.EqualTo(0), run.Err);

        var remaining = (await admin.Glance.ListImagesAsync()).Select(i => i.Id).ToHashSet();
        Assert.That(remaining, Does.Contain(newer).And.Contain(newest).And.Contain(protectedOld.Id).And.Contain(foreign.Id).And.Contain(baseImage));
        Assert.That(remaining, Does.Not.Contain(older));
        Assert.That(run.Out, Does.Contain("\"bytes_reclaimed\":"));
    }

    [Test]
    public async Task Recover_FromNewestSnapshot_RebuildReachesFinishedAndIsReported()
    {
        using var admin = TestCloud.Connect();
        var (serverId, _, _) = await BootedServer.GetAsync(admin);
        var snapshot = await SnapshotAsync(admin, serverId);

        var result = await TestCloud.RunCliAsync(RecoverCommand.Create(), "recover", "--server", serverId, "--snapshot", snapshot, "--cloud", "admin", "--state-dir", stateDir, "--json");

        Assert.That(result.Exit, Is.EqualTo(0), result.Out + result.Err);
        Assert.That(result.Out, Does.Contain("\"status\":\"finished\"").And.Contain(snapshot));
        var server = await admin.Nova.GetServerAsync(serverId);
        Assert.That(server.ImageId, Is.EqualTo(snapshot), "the server now runs from the snapshot");
        Assert.That(server.Metadata[TunerMetadata.RecoveryKey], Does.StartWith($"finished image={snapshot}"));
    }

    [Test]
    public async Task Recover_ServerWithoutSnapshot_IgnoredWithReason()
    {
        using var admin = TestCloud.Connect();
        var (_, imageId, flavorId) = await BootedServer.GetAsync(admin);
        await EndToEnd.EndToEndStack.WaitForComputeUpAsync(admin);
        var bare = await admin.Nova.CreateServerAsync(TestCloud.Unique("knt-it-nosnap"), imageId, flavorId);
        await BootedServer.WaitForStatusAsync(admin, bare, "ACTIVE", TestCloud.SlowCloud);
        var workspace = new SnapshotWorkspace(admin, stateDir);

        var record = await workspace.Recovery.RecoverAsync(bare);
        await workspace.Reporter.DrainOnceAsync();

        Assert.That(record.Status, Is.EqualTo(RecoveryStatus.Ignored));
        Assert.That(record.Reason, Is.EqualTo("no active snapshot of this server"));
        Assert.That((await admin.Nova.GetMetadataAsync(bare))[TunerMetadata.RecoveryKey], Does.StartWith("ignored image=- at=").And.EndWith("reason=no active snapshot of this server"));
        Assert.That(workspace.Store.Recoveries(bare).Single().StatusText, Is.EqualTo("ignored"));
        await admin.Nova.DeleteServerAsync(bare);
    }

    [Test]
    public async Task SnapshotsList_AfterRecovery_ShowsRecoveryPointsAndRecoveries()
    {
        using var admin = TestCloud.Connect();
        var (serverId, _, _) = await BootedServer.GetAsync(admin);
        var workspace = new SnapshotWorkspace(admin, stateDir);
        await workspace.Recovery.RecoverAsync(serverId, "00000000-0000-0000-0000-000000000000");

        var list = await TestCloud.RunCliAsync(SnapshotsCommand.Create(), "snapshots", "list", "--server", serverId, "--cloud", "admin", "--state-dir", stateDir, "--json");

        Assert.That(list.Exit, Is.EqualTo(0), list.Err);
        Assert.That(list.Out, Does.Contain("\"recoveries\":[{").And.Contain("\"status\":\"ignored\"").And.Contain("does not exist"));
        Assert.That(list.Out, Does.Contain("\"snapshots\":"));
    }
}
