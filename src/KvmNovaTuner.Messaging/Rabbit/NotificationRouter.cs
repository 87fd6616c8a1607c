using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Messaging.Pipeline;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>
/// The router for large clouds: stateless competing consumers on one durable queue bound to Nova's exchange;
/// each notification is republished unchanged, persistent, to the <c>kvm-nova-tuner</c> topic exchange under
/// <c>host.&lt;host&gt;</c>, and acked only after the broker confirmed the republish. Poison messages are
/// dead-lettered with their reason; events that name no host are acked and counted (no agent could act on them).
/// </summary>
public sealed class NotificationRouter(BrokerOptions options, ILogger logger)
{
    public const string EventTypeHeader = "x-kvm-nova-tuner-event-type";
    private long _routed;
    private long _noHost;
    private long _poison;

    public (long Routed, long NoHost, long Poison) Counts => (Interlocked.Read(ref _routed), Interlocked.Read(ref _noHost), Interlocked.Read(ref _poison));

    public Task RunAsync(CancellationToken cancellationToken) => ConsumerLoop.RunUntilCancelledAsync(StartAsync, cancellationToken);

    public async Task<ConsumerLoop> StartAsync(CancellationToken cancellationToken = default)
    {
        ConsumerLoop? loop = null;
        loop = await ConsumerLoop.StartAsync(options, DeclareAsync, (d, ct) => RouteAsync(loop!, d, ct), null, logger, cancellationToken,
            deadLettered: _ => { Interlocked.Increment(ref _poison); return Task.CompletedTask; }).ConfigureAwait(false);
        return loop;
    }

    private async Task DeclareAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await BrokerTopology.DeclareQueuesAsync(channel, options, cancellationToken).ConfigureAwait(false);
        await BrokerTopology.BindToNovaAsync(channel, options, cancellationToken).ConfigureAwait(false);
        await BrokerTopology.DeclareRouterExchangeAsync(channel, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DeliveryAction> RouteAsync(ConsumerLoop loop, Delivery delivery, CancellationToken cancellationToken)
    {
        var decoded = NotificationDecoder.Decode(delivery.Body);
        if (decoded.Error is { } error)
        {
            await DeadLetters.PublishAsync(loop.PublishChannel, options, delivery, error.ToString(), cancellationToken).ConfigureAwait(false);
            logger.LogWarning(IntakeLog.Poison, "Poison message dead-lettered: {Reason}", error);
            Interlocked.Increment(ref _poison);
            return DeliveryAction.Ack;
        }
        var e = decoded.Event!;
        if (e.Host is null)
        {
            logger.LogDebug(IntakeLog.NoHost, "{EventType} {MessageId} names no host; not routed", e.EventType, e.MessageId);
            Interlocked.Increment(ref _noHost);
            return DeliveryAction.Ack;
        }
        var properties = new BasicProperties
        {
            Persistent = true,
            MessageId = e.MessageId,
            ContentType = "application/json",
            Headers = new Dictionary<string, object?> { [EventTypeHeader] = e.EventType },
        };
        await loop.PublishChannel.BasicPublishAsync(options.RouterExchange, BrokerOptions.HostRoutingKey(e.Host), mandatory: false, properties, delivery.Body, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _routed);
        return DeliveryAction.Ack;
    }
}
