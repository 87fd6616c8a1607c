using KvmNovaTuner.Integration.Tests.Support;
using System.Collections.Concurrent;
using System.Text;
using KvmNovaTuner.Messaging.Rabbit;
using KvmNovaTuner.Messaging.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>
/// Every delivery ends handled or dead-lettered with its reason, in the agent and the router: a failure while
/// handling is requeued once, then dead-lettered "processing failed twice"; a failed commit rolls back and requeues.
/// Never a poison loop, never a message acked without its outcome.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class DeliveryFailureTests
{
    private static string NewQueue(string what) => $"it-{what}-{Guid.NewGuid().ToString("N")[..8]}";

    [Test, CancelAfter(60_000)]
    public async Task Listener_MessageTheDecoderThrowsOn_IsDeadLetteredWithReasonAndJournaledWhileTheRestIsHandled()
    {
        var broker = TestBroker.Require();
        var options = broker.Options(NewQueue("agent-throws"));
        await broker.DeclareNovaQueueAsync(options);
        var valid = Notifications.Many(2);
        await broker.PublishAsync(options.NovaExchange, "versioned_notifications.info", [valid[0], DeadLetterQueue.InvalidUtf8Notification(), valid[1]]);

        await using (var agent = await InProcessAgent.StartAsync(options))
        {
            await JournalProbe.WaitForAsync(agent.Database, 3, TimeSpan.FromSeconds(30));
            await agent.StopAsync();
            var journal = await agent.Store.ReadJournalAsync();
            Assert.That(journal.Select(j => j.Status).Order(), Is.EqualTo(new[] { "accepted", "accepted", "dead-lettered" }));
            Assert.That(agent.Listener.Counts, Is.EqualTo(new IntakeCounts(2, 0, 0, 1)));
        }
        var dead = await DeadLetterQueue.DrainAsync(broker, options.DeadLetterQueue);
        Assert.That(dead, Has.Count.EqualTo(1), "dead-lettered exactly once");
        Assert.That(dead[0].Reason, Is.Not.Empty.And.Length.LessThanOrEqualTo(300));
        Assert.That(await broker.MessageCountAsync(options.Queue), Is.Zero, "nothing left behind, nothing looping");
        await broker.DeleteQueuesAsync(options.Queue, options.DeadLetterQueue);
    }

    [Test, CancelAfter(60_000)]
    public async Task Router_MessageTheDecoderThrowsOn_IsDeadLetteredNotRequeuedForever()
    {
        var broker = TestBroker.Require();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var options = broker.Options("it-router-throws-" + suffix, prefetch: 1) with { RouterExchange = "it-kvm-nova-tuner-" + suffix };
        var router = new NotificationRouter(options, NullLogger.Instance);
        await using (await router.StartAsync())
        {
            await broker.PublishAsync(options.NovaExchange, "versioned_notifications.info", [DeadLetterQueue.InvalidUtf8Notification(), .. Notifications.Many(2, "cmp-x")]);
            await DeadLetterQueue.WaitForAsync(broker, options.DeadLetterQueue, 1, TimeSpan.FromSeconds(20));
            await Eventually.WaitAsync(() => router.Counts.Routed + router.Counts.NoHost + router.Counts.Poison >= 3, TimeSpan.FromSeconds(20), "the loop");
        }
        var dead = await DeadLetterQueue.DrainAsync(broker, options.DeadLetterQueue);
        Assert.That(dead, Has.Count.EqualTo(1));
        Assert.That(dead[0].Reason, Is.Not.Empty.And.Length.LessThanOrEqualTo(300));
        Assert.That(router.Counts.Poison, Is.EqualTo(1));
        Assert.That(await broker.MessageCountAsync(options.Queue), Is.Zero, "no poison loop");
        await broker.DeleteQueuesAsync(options.Queue, options.DeadLetterQueue);
    }

    [TestCase(false), TestCase(true), CancelAfter(60_000)]
    public async Task Loop_ProcessingThrows_RequeuesOnceThenDeadLettersProcessingFailedTwice(bool groupCommit)
    {
        var broker = TestBroker.Require();
        var options = broker.Options(NewQueue("loop-throws"));
        await broker.DeclareNovaQueueAsync(options);
        var journal = new FakeJournal { AutoCommit = !groupCommit };
        var attempts = new ConcurrentDictionary<string, int>();
        var longMessage = "boom " + new string('x', 2_000);
        await broker.PublishAsync(options.NovaExchange, "versioned_notifications.info", [.. Bodies("ok-", 3), "poison"u8.ToArray(), .. Bodies("ok2-", 3)]);

        await using (var loop = await ConsumerLoop.StartAsync(options, (_, ch, ct) => BrokerTopology.DeclareQueuesAsync(ch, options, ct), (d, _) =>
        {
            var body = Encoding.UTF8.GetString(d.Body.Span);
            attempts.AddOrUpdate(body, 1, (_, n) => n + 1);
            if (body == "poison")
            {
                throw new InvalidOperationException(longMessage);
            }
            journal.Add(body);
            return Task.FromResult(DeliveryAction.Ack);
        }, groupCommit ? journal : null, NullLogger.Instance))
        {
            await DeadLetterQueue.WaitForAsync(broker, options.DeadLetterQueue, 1, TimeSpan.FromSeconds(20));
            await Eventually.WaitAsync(() => journal.Committed.Count >= 6, TimeSpan.FromSeconds(20), "the loop");
            await loop.StopAsync();
        }
        Assert.That(attempts["poison"], Is.EqualTo(2), "handled twice: once, then once redelivered");
        var dead = await DeadLetterQueue.DrainAsync(broker, options.DeadLetterQueue);
        Assert.That(dead, Has.Count.EqualTo(1));
        Assert.That(Encoding.UTF8.GetString(dead[0].Body), Is.EqualTo("poison"), "dead-lettered unchanged");
        Assert.That(dead[0].Reason, Does.StartWith("processing failed twice: InvalidOperationException: boom").And.Length.LessThanOrEqualTo(300));
        Assert.That(journal.Committed.Order(), Is.EqualTo(Bodies("ok-", 3).Concat(Bodies("ok2-", 3)).Select(Encoding.UTF8.GetString).Order()), "each other message committed exactly once");
        Assert.That(await broker.MessageCountAsync(options.Queue), Is.Zero);
        await broker.DeleteQueuesAsync(options.Queue, options.DeadLetterQueue);
    }

    [Test, CancelAfter(60_000)]
    public async Task Loop_CommitFails_RollsBackAndRequeuesSoEveryMessageIsCommittedBeforeItIsAcked()
    {
        var broker = TestBroker.Require();
        var options = broker.Options(NewQueue("loop-commit-fails"));
        await broker.DeclareNovaQueueAsync(options);
        var journal = new FakeJournal { FailingCommits = 1 };
        await broker.PublishAsync(options.NovaExchange, "versioned_notifications.info", Bodies("m-", 20));

        await using (var loop = await ConsumerLoop.StartAsync(options, (_, ch, ct) => BrokerTopology.DeclareQueuesAsync(ch, options, ct), (d, _) =>
        {
            journal.Add(Encoding.UTF8.GetString(d.Body.Span));
            return Task.FromResult(DeliveryAction.Ack);
        }, journal, NullLogger.Instance))
        {
            await Eventually.WaitAsync(() => journal.Committed.Count >= 20, TimeSpan.FromSeconds(20), "the loop");
            await loop.StopAsync();
        }
        Assert.That(journal.FailingCommits, Is.Zero, "the failing commit happened");
        Assert.That(journal.Committed.Order(), Is.EqualTo(Bodies("m-", 20).Select(Encoding.UTF8.GetString).Order()), "every message committed, once");
        Assert.That(await broker.MessageCountAsync(options.Queue), Is.Zero, "and acked");
        Assert.That(await broker.MessageCountAsync(options.DeadLetterQueue), Is.Zero, "a store failure is not the message's fault");
        await broker.DeleteQueuesAsync(options.Queue, options.DeadLetterQueue);
    }

    private static List<byte[]> Bodies(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => Encoding.UTF8.GetBytes(prefix + i))];

    /// <summary>A journal with group commit: entries become committed at the commit, vanish at a rollback or a failing commit.</summary>
    private sealed class FakeJournal : IBatchCommitter
    {
        private readonly List<string> _pending = [];
        private readonly List<string> _committed = [];
        private readonly object _gate = new();

        /// <summary>Without group commit every entry is committed when added.</summary>
        public bool AutoCommit { get; init; }
        public int FailingCommits { get; set; }

        public List<string> Committed
        {
            get
            {
                lock (_gate)
                {
                    return [.. _committed];
                }
            }
        }

        public void Add(string entry)
        {
            lock (_gate)
            {
                (AutoCommit ? _committed : _pending).Add(entry);
            }
        }

        public Task BeginBatchAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task CommitBatchAsync(CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                var entries = _pending.ToList();
                _pending.Clear();
                if (FailingCommits > 0 && entries.Count > 0)
                {
                    FailingCommits--;
                    throw new IOException("disk full (test)");
                }
                _committed.AddRange(entries);
            }
            return Task.CompletedTask;
        }

        public Task RollbackBatchAsync()
        {
            lock (_gate)
            {
                _pending.Clear();
            }
            return Task.CompletedTask;
        }
    }
}
