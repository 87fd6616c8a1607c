using KvmNovaTuner.OpenStack.Http;
using KvmNovaTuner.OpenStack.Reporting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.OpenStack;

public sealed class OutboxTests
{
    private string dbPath = "";

    [SetUp]
    public void CreateStore() => dbPath = Path.Combine(Path.GetTempPath(), $"knt-outbox-{Guid.NewGuid():N}", "outbox.db");

    [TearDown]
    public void RemoveStore()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var dir = Path.GetDirectoryName(dbPath)!;
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    [Test]
    public async Task Report_SeveralOutcomesBeforeDelivery_SendsOnlyTheLatestPerKey()
    {
        var writer = new RecordingWriter();
        var reporter = new StatusReporter(new OutboxStore(dbPath), writer, new FakeTimeProvider(FakeCloud.Now), NullLogger.Instance);

        reporter.Report("s1", TunerStatus.PendingRestart, "iothreads at next boot");
        reporter.Report("s1", TunerStatus.Failed, "libvirt refused");
        reporter.Report("s1", TunerStatus.Applied, "3 actions applied");
        reporter.Report("s2", TunerStatus.Partial, "1 of 2");
        var delivered = await reporter.DrainOnceAsync();

        Assert.That(delivered, Is.EqualTo(4));
        Assert.That(writer.Calls, Is.EquivalentTo(new[]
        {
            "s1 tuner:status=applied", "s1 tuner:detail=3 actions applied", "s2 tuner:status=partial", "s2 tuner:detail=1 of 2",
        }));
    }

    [Test]
    public async Task Outbox_ProcessRestartsBeforeDelivery_DeliversAfterRestart()
    {
        var time = new FakeTimeProvider(FakeCloud.Now);
        new StatusReporter(new OutboxStore(dbPath), new RecordingWriter(), time, NullLogger.Instance).Report("s1", TunerStatus.Applied, "ok");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var writer = new RecordingWriter();
        var restarted = new StatusReporter(new OutboxStore(dbPath), writer, time, NullLogger.Instance);
        await restarted.DrainOnceAsync();

        Assert.That(writer.Calls, Is.EquivalentTo(new[] { "s1 tuner:status=applied", "s1 tuner:detail=ok" }));
        Assert.That(new OutboxStore(dbPath).All(), Is.Empty);
    }

    [Test]
    public async Task Delivery_ServerBusyAndOutage_RetriedWithGrowingDelayUntilSuccess()
    {
        var time = new FakeTimeProvider(FakeCloud.Now);
        var writer = new RecordingWriter();
        writer.Failures.Enqueue(new OpenStackApiException("compute", 409, "req-1", "Cannot update metadata while the instance is in vm_state building"));
        writer.Failures.Enqueue(new OpenStackUnavailableException("compute PUT failed: Connection refused"));
        var store = new OutboxStore(dbPath);
        var reporter = new StatusReporter(store, writer, time, NullLogger.Instance, new ReporterOptions { FirstRetry = TimeSpan.FromSeconds(2) });
        reporter.Put("s1", TunerMetadata.StatusKey, "applied");

        Assert.That(await reporter.DrainOnceAsync(), Is.Zero);
        Assert.That(store.All().Single().LastError, Does.Contain("409"));
        Assert.That(await reporter.DrainOnceAsync(), Is.Zero, "not due before its retry time");
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.That(await reporter.DrainOnceAsync(), Is.Zero);
        Assert.That(store.All().Single().NotBefore, Is.EqualTo(time.GetUtcNow() + TimeSpan.FromSeconds(4)), "the delay doubles");
        time.Advance(TimeSpan.FromSeconds(4));

        Assert.That(await reporter.DrainOnceAsync(), Is.EqualTo(1));
        Assert.That(store.All(), Is.Empty);
        Assert.That(writer.Calls, Is.EqualTo(new[] { "s1 tuner:status=applied" }));
    }

    [Test]
    public async Task Delivery_ServerGone_DroppedInsteadOfRetriedForever()
    {
        var writer = new RecordingWriter();
        writer.Failures.Enqueue(new OpenStackApiException("compute", 404, null, "Instance s1 could not be found."));
        var store = new OutboxStore(dbPath);
        var reporter = new StatusReporter(store, writer, new FakeTimeProvider(FakeCloud.Now), NullLogger.Instance);
        reporter.Put("s1", TunerMetadata.StatusKey, "applied");

        await reporter.DrainOnceAsync();

        Assert.That(store.All(), Is.Empty);
    }

    [Test]
    public async Task Delivery_NewerValueQueuedWhileSending_NewerValueStaysQueued()
    {
        var store = new OutboxStore(dbPath);
        var time = new FakeTimeProvider(FakeCloud.Now);
        StatusReporter? reporter = null;
        var writer = new RecordingWriter { DuringSend = () => reporter!.Put("s1", TunerMetadata.StatusKey, "failed") };
        reporter = new StatusReporter(store, writer, time, NullLogger.Instance);
        reporter.Put("s1", TunerMetadata.StatusKey, "applied");

        await reporter.DrainOnceAsync();

        Assert.That(store.All().Single().Value, Is.EqualTo("failed"));
    }

    [Test]
    public async Task RunAsync_ReportQueued_DeliveredInBackgroundWithoutBlockingTheCaller()
    {
        var writer = new RecordingWriter();
        var reporter = new StatusReporter(new OutboxStore(dbPath), writer, TimeProvider.System, NullLogger.Instance);
        using var cts = new CancellationTokenSource();
        var loop = Task.Run(() => reporter.RunAsync(cts.Token));

        reporter.Report("s1", TunerStatus.Applied, "ok");
        var both = await Task.WhenAny(writer.Delivered(2), Task.Delay(TimeSpan.FromSeconds(10)));
        await cts.CancelAsync();
        Assert.That(writer.Calls, Has.Count.EqualTo(2), "delivered within the bounded wait");
        try
        {
            await loop;
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }
    }

    [TestCase("ok\nnext line\ttab", "ok next line tab")]
    [TestCase("caf\u00e9 \u2713", "caf? ?")]
    public void Detail_ControlAndNonAsciiCharacters_Replaced(string input, string expected) =>
        Assert.That(MetadataText.Value(input), Is.EqualTo(expected));

    [Test]
    public void Detail_LongerThan255_ClippedWithEllipsis()
    {
        var value = MetadataText.Value(new string('x', 400));
        Assert.That(value, Has.Length.EqualTo(255).And.EndsWith("..."));
    }

    [Test]
    public void Put_KeyOutsideNovasCharacterSet_Rejected()
    {
        var reporter = new StatusReporter(new OutboxStore(dbPath), new RecordingWriter(), TimeProvider.System, NullLogger.Instance);
        Assert.Throws<ArgumentException>(() => reporter.Put("s1", "tuner/status", "x"));
    }

    private sealed class RecordingWriter : IServerMetadataWriter
    {
        private readonly List<(int Count, TaskCompletionSource Done)> waiters = [];
        public List<string> Calls { get; } = [];
        public Queue<Exception> Failures { get; } = new();
        public Action? DuringSend { get; init; }

        public Task Delivered(int count)
        {
            lock (Calls)
            {
                var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                if (Calls.Count >= count) tcs.SetResult();
                else waiters.Add((count, tcs));
                return tcs.Task;
            }
        }

        public Task SetAsync(string serverId, string key, string value, CancellationToken cancellationToken) => Record($"{serverId} {key}={value}");

        public Task DeleteAsync(string serverId, string key, CancellationToken cancellationToken) => Record($"{serverId} -{key}");

        private Task Record(string call)
        {
            DuringSend?.Invoke();
            if (Failures.TryDequeue(out var failure)) return Task.FromException(failure);
            lock (Calls)
            {
                Calls.Add(call);
                foreach (var (n, done) in waiters) if (Calls.Count >= n) done.TrySetResult();
            }
            return Task.CompletedTask;
        }
    }
}
