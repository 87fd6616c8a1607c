namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>Poison messages land in the dead-letter queue with their reason, once, while the valid events around them are handled.</summary>
[TestFixture, NonParallelizable]
public sealed class PoisonMessageTests
{
    [Test, CancelAfter(60_000)]
    public async Task Listener_PoisonBetweenValidEvents_DeadLettersWithReasonAndHandlesTheRest()
    {
        var broker = TestBroker.Require();
        var options = broker.Options("it-poison-" + Guid.NewGuid().ToString("N")[..8]);
        await broker.DeclareNovaQueueAsync(options);
        var valid = Notifications.Many(4);
        byte[][] bodies = [valid[0], "{not json"u8.ToArray(), valid[1], """{"oslo.version": "2.0", "oslo.message": 42}"""u8.ToArray(), valid[2], """{"event_type": "instance.create.end", "message_id": "m", "payload": "x"}"""u8.ToArray(), valid[3]];
        await broker.PublishAsync(options.NovaExchange, "versioned_notifications.error", bodies);

        await using (var agent = await InProcessAgent.StartAsync(options))
        {
            await JournalProbe.WaitForAsync(agent.Database, bodies.Length, TimeSpan.FromSeconds(30));
            await agent.StopAsync();
            var journal = await agent.Store.ReadJournalAsync();
            Assert.That(journal.Count(j => j.Status == "dead-lettered"), Is.EqualTo(3));
            Assert.That(journal.Where(j => j.MessageId is not null).Select(j => j.Status), Has.All.EqualTo("accepted"));
            Assert.That(agent.Listener.Counts.Handled, Is.EqualTo(4));
        }

        var reasons = await DrainReasonsAsync(broker, options.DeadLetterQueue);
        Assert.That(reasons, Has.Count.EqualTo(3), "each poison message dead-lettered exactly once");
        Assert.That(reasons[0], Does.StartWith("bad JSON"));
        Assert.That(reasons[1], Does.StartWith("wrong envelope").And.Contain("oslo.message"));
        Assert.That(reasons[2], Does.StartWith("unknown payload shape"));
        Assert.That(await broker.MessageCountAsync(options.Queue), Is.Zero, "nothing requeued: no loop");
        await broker.DeleteQueuesAsync(options.Queue, options.DeadLetterQueue);
    }

    private static async Task<List<string>> DrainReasonsAsync(TestBroker broker, string queue) =>
        [.. (await DeadLetterQueue.DrainAsync(broker, queue)).Select(m => m.Reason)];
}
