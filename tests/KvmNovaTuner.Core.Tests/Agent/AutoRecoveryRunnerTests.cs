using Flurl.Http.Testing;
using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Agent.Pipeline;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Recovery;
using KvmNovaTuner.Core.Tests.OpenStack;
using KvmNovaTuner.OpenStack;
using KvmNovaTuner.OpenStack.Snapshots;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>The agent's automatic recovery: decided on the intake path, carried out in the background, recorded either way.</summary>
public sealed class AutoRecoveryRunnerTests
{
    private const string Server = "srv-1";
    private static readonly Dictionary<string, string> AutoRecover = new() { ["tuner:auto_recover"] = "true" };
    private static readonly PollOptions Quick = new() { FirstDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5), MaxPolls = 5 };
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("knt-autorecover-").FullName;

    [TearDown]
    public void TearDown()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static InstanceEvent Error(string messageId) => new()
    {
        Format = NotificationFormat.Versioned, EventType = "instance.update", MessageId = messageId, InstanceUuid = Server, Host = "compute",
        OldState = "active", State = "error",
    };

    private static object ServerJson(string status, string vmState, bool locked = false) => new
    {
        server = new Dictionary<string, object?>
        {
            ["id"] = Server, ["name"] = "s", ["status"] = status, ["OS-EXT-STS:vm_state"] = vmState, ["OS-EXT-STS:task_state"] = null, ["locked"] = locked,
        },
    };

    private static void Snapshot(HttpTest http) =>
        http.ForCallsTo($"{FakeCloud.Glance}/v2/images*").WithVerb(HttpMethod.Get).RespondWithJson(new
        {
            images = new[] { new { id = "img-1", status = "active", size = 1024, image_type = "snapshot", instance_uuid = Server, created_at = "2026-11-26T03:00:00Z" } },
        });

    private (AutoRecoveryRunner Runner, SnapshotStore Store, AgentMetrics Metrics) Create(OpenStackConnection cloud, TimeProvider time)
    {
        var store = new SnapshotStore(Path.Combine(_dir, "snapshots.db"));
        var metrics = new AgentMetrics();
        var recovery = new RecoveryRunner(cloud.Nova, cloud.Glance, store, null, time, NullLogger.Instance, Quick);
        return (new AutoRecoveryRunner(recovery, store, new AutoRecoveryOptions(), metrics, time, NullLogger.Instance), store, metrics);
    }

    private static async Task<RecoveryRecord> EndedAsync(SnapshotStore store, long id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var record = store.Recoveries(Server).Single(r => r.Id == id);
            if (!record.InProgress) return record;
            await Task.Delay(20);
        }
        Assert.Fail($"recovery {id} still in progress");
        return null!;
    }

    [Test]
    public async Task Offer_FlavorAsks_RebuildsInTheBackgroundToFinished_ThenASecondErrorIsIgnoredByTheGuard()
    {
        using var http = new HttpTest();
        http.IssueToken().NovaVersion();
        http.ForCallsTo($"{FakeCloud.Nova}/servers/{Server}").WithVerb(HttpMethod.Get)
            .RespondWithJson(ServerJson("ERROR", "error")).RespondWithJson(ServerJson("ACTIVE", "active")).RespondWithJson(ServerJson("ACTIVE", "active"));
        http.ForCallsTo($"{FakeCloud.Nova}/servers/{Server}/action").WithVerb(HttpMethod.Post).RespondWithJson(new { }, 202);
        Snapshot(http);
        using var cloud = FakeCloud.Connect();
        var (runner, store, metrics) = Create(cloud, TimeProvider.System);
        await using var _ = runner;

        var first = runner.Offer(Error("m-1"), AutoRecover);
        var record = await EndedAsync(store, 1);
        var second = runner.Offer(Error("m-2"), AutoRecover);

        Assert.Multiple(() =>
        {
            Assert.That(first, Does.StartWith("auto-recovery: started (recovery 1;"));
            Assert.That(record.Status, Is.EqualTo(RecoveryStatus.Finished));
            Assert.That(record.ImageId, Is.EqualTo("img-1"));
            Assert.That(record.Trigger, Is.EqualTo("auto: instance went to ERROR (message id m-1)"));
            Assert.That(record.MetadataValue, Does.Contain("trigger=auto"));
            Assert.That(second, Does.StartWith("auto-recovery: ignored (recovery 2; loop guard: automatic recovery 1 started"));
            var ignored = store.Recoveries(Server).Single(r => r.Id == 2);
            Assert.That((ignored.Status, ignored.IsAutomatic), Is.EqualTo((RecoveryStatus.Ignored, true)));
            Assert.That(ignored.Reason, Does.StartWith("loop guard:"));
            Assert.That(http.CallLog.Count(c => c.Request.Url.Path.EndsWith("/action", StringComparison.Ordinal)), Is.EqualTo(1), "one rebuild, not two");
            Assert.That(metrics.Recoveries.WithLabels("auto", "finished").Value, Is.EqualTo(1));
            Assert.That(metrics.Recoveries.WithLabels("auto", "ignored").Value, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Offer_FlavorDoesNotAsk_SkippedWithReason_NothingRecordedNorAskedOfTheCloud()
    {
        using var http = new HttpTest();
        using var cloud = FakeCloud.Connect();
        var (runner, store, _) = Create(cloud, TimeProvider.System);
        await using var _ = runner;

        var note = runner.Offer(Error("m-1"), new Dictionary<string, string> { ["hw:cpu_policy"] = "dedicated" });

        Assert.That(note, Is.EqualTo("auto-recovery: skipped (the flavor does not ask for it (tuner:auto_recover is not true))"));
        Assert.That(store.Recoveries(Server), Is.Empty);
        Assert.That(http.CallLog, Is.Empty);
    }

    [Test]
    public async Task Offer_SecondErrorWhileTheFirstIsStillQueued_IgnoredAsAlreadyRunning()
    {
        var clock = new FakeTimeProvider(FakeCloud.Now);
        using var http = new HttpTest();
        using var cloud = FakeCloud.Connect(clock);
        var (runner, store, _) = Create(cloud, clock);
        store.StartRecovery(Server, null, "rebuilding", clock.GetUtcNow(), "auto: instance went to ERROR (message id m-0)");
        await using var _ = runner;

        var note = runner.Offer(Error("m-1"), AutoRecover);

        Assert.That(note, Is.EqualTo("auto-recovery: ignored (recovery 2; recovery 1 of this server is already running (started 2026-11-26T04:00:00Z))"));
    }

    [Test]
    public async Task Offer_AfterTheGuardWindow_StartsAgain()
    {
        var clock = new FakeTimeProvider(FakeCloud.Now);
        using var http = new HttpTest();
        http.IssueToken().NovaVersion();
        http.ForCallsTo($"{FakeCloud.Nova}/servers/{Server}").WithVerb(HttpMethod.Get).RespondWithJson(ServerJson("ERROR", "error", locked: true));
        using var cloud = FakeCloud.Connect(clock);
        var (runner, store, _) = Create(cloud, clock);
        var earlier = store.StartRecovery(Server, "img-0", "rebuilding", clock.GetUtcNow(), "auto: instance went to ERROR (message id m-0)");
        store.UpdateRecovery(earlier, RecoveryStatus.Failed, "rebuild failed", "img-0", clock.GetUtcNow());
        await using var _ = runner;

        clock.Advance(TimeSpan.FromMinutes(59));
        var within = runner.Offer(Error("m-1"), AutoRecover);
        clock.Advance(TimeSpan.FromMinutes(1));
        var after = runner.Offer(Error("m-2"), AutoRecover);
        var third = await EndedAsync(store, 3);

        Assert.That(within, Does.Contain("loop guard"));
        Assert.That(after, Does.StartWith("auto-recovery: started (recovery 3;"));
        Assert.That((third.Status, third.Reason), Is.EqualTo((RecoveryStatus.Ignored, "server is locked")), "the runner's own checks still apply");
    }

    [Test]
    public void Note_WithoutOpenStackCredentials_SaysAutoRecoveryIsUnavailable()
    {
        var e = Error("m-1");
        var run = new PipelineRun(e, SpecSource.Event, null, Plan.Empty(Server, e.EventType, "compute"), [], [], null, new EventOutcome("ignored", InstanceErrorState.NotTuned));

        Assert.That(AutoRecoveryNote.For(run, null), Is.EqualTo("auto-recovery: unavailable (no OpenStack credentials)"));
    }
}
