using KvmNovaTuner.Integration.Tests.Support;
using System.Text;
using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Messaging.Rabbit;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>Two competing routers deliver each event only to its host's queue; an event no host queue takes lands in the unrouted queue.</summary>
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
            await BrokerTopology.BindToRouterAsync(connection, channel, hostA, "cmp-a", NullLogger.Instance, CancellationToken.None);
            await BrokerTopology.DeclareQueuesAsync(channel, hostB, CancellationToken.None);
            await BrokerTopology.BindToRouterAsync(connection, channel, hostB, "cmp-b", NullLogger.Instance, CancellationToken.None);
        }
        var first = new NotificationRouter(routerOptions, NullLogger.Instance);
        var second = new NotificationRouter(routerOptions, NullLogger.Instance);
        uint unroutedGauge;
        await using (var loop = await first.StartAsync())
        await using (await second.StartAsync())
        {
            await broker.PublishAsync(routerOptions.NovaExchange, "versioned_notifications.info", [.. Notifications.Many(20, "cmp-a"), .. Notifications.Many(30, "cmp-b"), .. Notifications.Many(5, "cmp-c")]);
            await Eventually.WaitAsync(() => first.Counts.Routed + second.Counts.Routed >= 55, TimeSpan.FromSeconds(30), "the routers");
            unroutedGauge = await NotificationRouter.UnroutedQueueDepthAsync(loop, routerOptions);
        }
        Assert.That(await HostsInAsync(broker, hostA.Queue), Is.EqualTo(Enumerable.Repeat("cmp-a", 20)));
        Assert.That(await HostsInAsync(broker, hostB.Queue), Is.EqualTo(Enumerable.Repeat("cmp-b", 30)));
        Assert.That(first.Counts.Routed, Is.GreaterThan(0), "both replicas compete for the queue");
        Assert.That(first.HasAlternateExchange && second.HasAlternateExchange, Is.True);
        Assert.That(unroutedGauge, Is.EqualTo(5), "the unrouted gauge counts the events no host queue took");
        Assert.That(await HostsInAsync(broker, routerOptions.UnroutedQueue), Is.EqualTo(Enumerable.Repeat("cmp-c", 5)), "an event for a host whose queue is not bound is kept, not dropped");
        await broker.DeleteQueuesAsync(routerOptions.Queue, routerOptions.DeadLetterQueue, hostA.Queue, hostA.DeadLetterQueue, hostB.Queue, hostB.DeadLetterQueue, routerOptions.UnroutedQueue);
    }

    [Test, CancelAfter(60_000)]
    public async Task Router_ExchangeExistsWithoutAlternateExchange_StartsAndKeepsUnroutableEventsThroughMandatoryReturns()
    {
        var broker = TestBroker.Require();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var routerOptions = broker.Options("it-router-noae-" + suffix, prefetch: 1) with { RouterExchange = "it-kvm-nova-tuner-noae-" + suffix };
        await using (var connection = await broker.ConnectAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.ExchangeDeclareAsync(routerOptions.RouterExchange, RabbitMQ.Client.ExchangeType.Topic, durable: true, autoDelete: false);
        }
        var router = new NotificationRouter(routerOptions, NullLogger.Instance);
        await using (await router.StartAsync())
        {
            await broker.PublishAsync(routerOptions.NovaExchange, "versioned_notifications.info", Notifications.Many(3, "cmp-z"));
            await Eventually.WaitAsync(() => router.Counts.Unrouted >= 3, TimeSpan.FromSeconds(30), "the router");
        }
        Assert.That(router.HasAlternateExchange, Is.False, "the existing exchange is used as it is (no 406 crash)");
        Assert.That(router.Counts, Is.EqualTo(new RouterCounts(0, 0, 0, 3)));
        Assert.That(await HostsInAsync(broker, routerOptions.UnroutedQueue), Is.EqualTo(Enumerable.Repeat("cmp-z", 3)));
        await broker.DeleteQueuesAsync(routerOptions.Queue, routerOptions.DeadLetterQueue, routerOptions.UnroutedQueue);
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
