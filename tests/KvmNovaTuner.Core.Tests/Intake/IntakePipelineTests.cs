using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Filtering;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Replay;
using KvmNovaTuner.Messaging.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.Intake;

public sealed class IntakePipelineTests
{
    private string _dir = null!;
    private IntakeStore _store = null!;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 15, 10, 0, 0, TimeSpan.Zero));

    [SetUp]
    public async Task SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("knt-pipe-").FullName;
        _store = await IntakeStore.OpenAsync(Path.Combine(_dir, "intake.db"), _time, TimeSpan.FromDays(1));
    }

    [TearDown]
    public async Task TearDown()
    {
        await _store.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private IntakePipeline Pipeline(IInstanceEventHandler handler) => new(_store, new EventFilter("compute"), handler, _time, NullLogger.Instance);

    [Test]
    public async Task Replay_AllSamplesTwice_SecondPassIsAllDuplicates()
    {
        var pipeline = Pipeline(new DecisionRecordingHandler());
        var first = await ReplaySource.RunAsync(NovaSamples.AllJsonl, pipeline);
        var second = await ReplaySource.RunAsync(NovaSamples.AllJsonl, pipeline);
        Assert.That(first.Counts.Total, Is.EqualTo(104));
        Assert.That(first.Counts.Poison, Is.Zero);
        Assert.That(first.Counts.Handled, Is.GreaterThan(0));
        Assert.That(second.Counts.Duplicates, Is.EqualTo(104));
        var journal = await _store.ReadJournalAsync();
        Assert.That(journal, Has.Count.EqualTo(104));
        Assert.That(journal.Select(j => j.MessageId), Is.Unique);
        Assert.That(journal, Has.All.Matches<JournalEntry>(j => j.Detail.Length > 0));
    }

    [Test]
    public async Task Process_HandlerThrows_JournalsFailedAndDoesNotThrow()
    {
        var pipeline = Pipeline(new ThrowingHandler());
        var result = await pipeline.ProcessAsync(System.Text.Encoding.UTF8.GetBytes(NovaSamples.Line("instance.create.end")));
        Assert.That(result.Disposition, Is.EqualTo(IntakeDisposition.Handled));
        var row = (await _store.ReadJournalAsync()).Single();
        Assert.That(row.Status, Is.EqualTo("failed"));
        Assert.That(row.Detail, Does.Contain("boom"));
    }

    [Test]
    public async Task Process_Poison_IsNotJournaledUntilRecorded()
    {
        var pipeline = Pipeline(new DecisionRecordingHandler());
        var result = await pipeline.ProcessAsync("{nope"u8.ToArray());
        Assert.That(result.Disposition, Is.EqualTo(IntakeDisposition.Poison));
        Assert.That(result.Detail, Does.StartWith("bad JSON"));
        Assert.That(await _store.ReadJournalAsync(), Is.Empty);
        await pipeline.RecordPoisonAsync(result.Detail, "dead-lettered");
        Assert.That((await _store.ReadJournalAsync()).Single().Status, Is.EqualTo("dead-lettered"));
    }

    [Test]
    public async Task Process_OtherHostsEvent_IsIgnoredWithReasonAndNotHandled()
    {
        var handler = new CountingHandler();
        var pipeline = new IntakePipeline(_store, new EventFilter("elsewhere"), handler, _time, NullLogger.Instance);
        var result = await pipeline.ProcessAsync(System.Text.Encoding.UTF8.GetBytes(NovaSamples.Line("instance.create.end")));
        Assert.That(result.Disposition, Is.EqualTo(IntakeDisposition.Ignored));
        Assert.That(handler.Calls, Is.Zero);
        Assert.That((await _store.ReadJournalAsync()).Single().Detail, Does.Contain("not elsewhere"));
    }

    private sealed class ThrowingHandler : IInstanceEventHandler
    {
        public Task<EventOutcome> HandleAsync(InstanceEvent instanceEvent, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("boom");
    }

    private sealed class CountingHandler : IInstanceEventHandler
    {
        public int Calls { get; private set; }

        public Task<EventOutcome> HandleAsync(InstanceEvent instanceEvent, CancellationToken cancellationToken = default)
        {
            Calls++;
            return Task.FromResult(new EventOutcome("applied", "ok"));
        }
    }
}
