namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>A graceful stop in the middle of a stream finishes in-flight deliveries: every journaled message is acked, every other one is still queued.</summary>
[TestFixture, NonParallelizable]
public sealed class GracefulStopTests
{
    private const int Events = 5_000;

    [Test, CancelAfter(120_000)]
    public async Task Listener_StoppedMidStream_AcksExactlyWhatItJournaled()
    {
        var broker = TestBroker.Require();
        var options = broker.Options("it-stop-" + Guid.NewGuid().ToString("N")[..8]);
        await broker.DeclareNovaQueueAsync(options);
        await broker.PublishAsync(options.NovaExchange, "versioned_notifications.info", Notifications.Many(Events));

        await using (var agent = await InProcessAgent.StartAsync(options))
        {
            await JournalProbe.WaitForAsync(agent.Database, 500, TimeSpan.FromSeconds(60));
            await agent.StopAsync();
            var journaled = (await JournalProbe.CountAsync(agent.Database)).Rows;
            var queued = await broker.MessageCountAsync(options.Queue);
            TestContext.Progress.WriteLine($"journaled {journaled}, still queued {queued}");
            Assert.That(journaled, Is.LessThan(Events), "stopped in the middle of the stream");
            Assert.That(journaled + queued, Is.EqualTo(Events), "no journaled message left unacked, no unjournaled message acked");
        }
        await broker.DeleteQueuesAsync(options.Queue, options.DeadLetterQueue);
    }
}
