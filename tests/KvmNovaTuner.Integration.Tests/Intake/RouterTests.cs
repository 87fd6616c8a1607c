using KvmNovaTuner.Integration.Tests.Support;
using System.Text;
using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Messaging.Rabbit;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>Two competing routers deliver each event only to its host's queue.</summary>
[TestFixture, NonParallelizable]
public sealed class RouterTests
{
    [Test, CancelAfter(60_000)]
    public async Task Router_TwoReplicas_DeliverEachEventOnlyToItsHostsQueue()
    {
        var broker = TestBroker.Require();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var routerOptions = broker.Options("it-router-" + suffix, prefetch: 1) with { RouterExchange = "it-kvm-nova-tuner-" + suffix };
        var hostA = broker.Options("it-agent-a-" + suffix) with { RouterExchange = routerOptions.RouterExchange };
        var hostB = broker.Options("it-agent-b-" + suffix) with { RouterExchange = routerOptions.RouterExchange };
        await using (var connection = await broker.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await BrokerTopology.DeclareQueuesAsync(channel, hostA, CancellationToken.None);
            await BrokerTopology.BindToRouterAsync(channel, hostA, "cmp-a", CancellationToken.None);
            await BrokerTopology.DeclareQueuesAsync(channel, hostB, CancellationToken.None);
            await BrokerTopology.BindToRouterAsync(channel, hostB, "cmp-b", CancellationToken.None);
        }
        var first = new NotificationRouter(routerOptions, NullLogger.Instance);
        var second = new NotificationRouter(routerOptions, NullLogger.Instance);
        await using (await first.StartAsync())
        await using (await second.StartAsync())
        {
            await broker.PublishAsync(routerOptions.NovaExchange, "versioned_notifications.info", [.. Notifications.Many(20, "cmp-a"), .. Notifications.Many(30, "cmp-b"), .. Notifications.Many(5, "cmp-c")]);
            await Eventually.WaitAsync(() => first.Counts.Routed + second.Counts.Routed >= 55, TimeSpan.FromSeconds(30), "the routers");
        }
        Assert.That(await HostsInAsync(broker, hostA.Queue), Is.EqualTo(Enumerable.Repeat("cmp-a", 20)));
        Assert.That(await HostsInAsync(broker, hostB.Queue), Is.EqualTo(Enumerable.Repeat("cmp-b", 30)));
        Assert.That(first.Counts.Routed, Is.GreaterThan(0), "both replicas compete for the queue");
        await broker.DeleteQueuesAsync(routerOptions.Queue, routerOptions.DeadLetterQueue, hostA.Queue, hostA.DeadLetterQueue, hostB.Queue, hostB.DeadLetterQueue);
    }

    private static async Task<List<string?>> HostsInAsync(TestBroker broker, string queue)
    {
        await using var connection = await broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var hosts = new List<string?>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            hosts.Add(NotificationDecoder.Decode(message.Body).Event?.Host);
        }
        return hosts;
    }
}
