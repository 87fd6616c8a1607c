namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>A private broker (never the shared one) is killed with -9 in the middle of 10,000 events and restarted: every event is handled exactly once in effect.</summary>
[TestFixture, NonParallelizable]
public sealed class BrokerKillTests
{
    private const int Events = 10_000;

    [Test, CancelAfter(240_000)]
    public async Task Listener_BrokerKilledMidStream_HandlesEveryEventOnce()
    {
        // Its own broker: killing the shared one would make Nova's compute service miss its heartbeat ("No valid host").
        var broker = await TestBroker.StartPrivateAsync();
        try
        {
            await KillMidStreamAsync(broker);
        }
        finally
        {
            await broker.StopPrivateAsync();
        }
    }

    private static async Task KillMidStreamAsync(TestBroker broker)
    {
        var options = broker.Options("it-kill-broker-" + Guid.NewGuid().ToString("N")[..8]);
        await broker.DeclareNovaQueueAsync(options);
        await broker.PublishAsync(options.NovaExchange, "versioned_notifications.info", Notifications.Many(Events));

        await using (var agent = await InProcessAgent.StartAsync(options))
        {
            await JournalProbe.WaitForAsync(agent.Database, 2_500, TimeSpan.FromSeconds(60));
            await broker.RunScriptAsync("kill9");
            var atKill = await JournalProbe.CountAsync(agent.Database);
            await broker.RunScriptAsync("start");
            var final = await JournalProbe.WaitForAsync(agent.Database, Events, TimeSpan.FromSeconds(120));
            await agent.StopAsync();
            TestContext.Progress.WriteLine($"journal at kill: {atKill.Rows}; final {final.Rows} rows, {final.DistinctIds} ids; counts {agent.Listener.Counts}");
            Assert.That(atKill.Rows, Is.LessThan(Events), "the broker was killed in the middle of the stream");
            Assert.That(await JournalProbe.CountAsync(agent.Database), Is.EqualTo(((long)Events, (long)Events)), "each message id journaled exactly once");
        }
        Assert.That(await broker.MessageCountAsync(options.Queue), Is.Zero, "nothing left unacknowledged");
        await broker.DeleteQueuesAsync(options.Queue, options.DeadLetterQueue);
    }
}
