using System.Text;
using KvmNovaTuner.Messaging.Rabbit;

namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>Reads a dead-letter queue: each message's body and the reason header the intake or the router put on it.</summary>
public static class DeadLetterQueue
{
    public static async Task<List<(byte[] Body, string Reason)>> DrainAsync(TestBroker broker, string queue)
    {
        await using var connection = await broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var messages = new List<(byte[], string)>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            var header = message.BasicProperties.Headers?[BrokerTopology.ReasonHeader];
            messages.Add((message.Body.ToArray(), header is byte[] bytes ? Encoding.UTF8.GetString(bytes) : header?.ToString() ?? ""));
        }
        return messages;
    }

    /// <summary>Polls (bounded) until the queue holds at least <paramref name="count"/> ready messages.</summary>
    public static async Task WaitForAsync(TestBroker broker, string queue, uint count, TimeSpan timeout)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        uint seen;
        while ((seen = await broker.MessageCountAsync(queue)) < count)
        {
            Assert.That(clock.Elapsed, Is.LessThan(timeout), $"{queue} holds {seen} messages, not {count}, after {timeout.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    /// <summary>A valid notification with bytes that are not UTF-8 inside its message id: the decoder threw on such bytes.</summary>
    public static byte[] InvalidUtf8Notification()
    {
        var marker = "BADUTF8-" + Guid.NewGuid().ToString("N");
        var body = Notifications.CreateEnd(marker);
        var at = body.AsSpan().IndexOf(Encoding.ASCII.GetBytes(marker));
        body[at] = 0xFF;
        body[at + 1] = 0xFE;
        return body;
    }
}
