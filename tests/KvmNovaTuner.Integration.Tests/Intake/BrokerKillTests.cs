using KvmNovaTuner.Core.Filtering;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Rabbit;
using KvmNovaTuner.Messaging.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>The broker is killed with -9 in the middle of 10,000 events and restarted: every event is handled exactly once in effect.</summary>
[TestFixture, NonParallelizable]
public sealed class BrokerKillTests
{
    private const int Events = 10_000;

    [Test, CancelAfter(240_000)]
    public async Task Listener_BrokerKilledMidStream_HandlesEveryEventOnce()
    {
        var broker = TestBroker.Require();
        var options = broker.Options("it-kill-broker-" + Guid.NewGuid().ToString("N")[..8]);
        var dir = Directory.CreateTempSubdirectory("knt-it-kill-").FullName;
        await broker.DeclareNovaQueueAsync(options);
        await broker.PublishAsync(options.NovaExchange, "versioned_notifications.info", Notifications.Many(Events));

        await using (var store = await IntakeStore.OpenAsync(Path.Combine(dir, "intake.db"), TimeProvider.System, TimeSpan.FromDays(1)))
        {
            var pipeline = new IntakePipeline(store, new EventFilter("compute"), new DecisionRecordingHandler(), TimeProvider.System, NullLogger.Instance);
            var listener = new NotificationListener(options, IntakeSource.Nova, pipeline, NullLogger.Instance);
            var loop = await listener.StartAsync();
            try
            {
                await JournalProbe.WaitForAsync(Path.Combine(dir, "intake.db"), 2_500, TimeSpan.FromSeconds(60));
                await broker.RunScriptAsync("kill9");
                var atKill = await JournalProbe.CountAsync(Path.Combine(dir, "intake.db"));
                await broker.RunScriptAsync("start");
                var final = await JournalProbe.WaitForAsync(Path.Combine(dir, "intake.db"), Events, TimeSpan.FromSeconds(120));
                TestContext.Progress.WriteLine($"journal at kill: {atKill.Rows}; final {final.Rows} rows, {final.DistinctIds} ids; counts {listener.Counts}");
                Assert.That(atKill.Rows, Is.LessThan(Events), "the broker was killed in the middle of the stream");
                Assert.That(final.Rows, Is.EqualTo(Events), "each message id journaled exactly once");
                Assert.That(final.DistinctIds, Is.EqualTo(Events));
            }
            finally
            {
                await loop.DisposeAsync();
            }
        }
        Assert.That(await broker.MessageCountAsync(options.Queue), Is.Zero, "nothing left unacknowledged");
        await broker.DeleteQueuesAsync(options.Queue, options.DeadLetterQueue);
        Directory.Delete(dir, recursive: true);
    }
}
