using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Messaging.Pipeline;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

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
    private long _unrouted;
    private bool _hasAlternateExchange;

    /// <summary>
    /// Routed, no host, dead-lettered, and unrouted: returned by the broker (mandatory) and put in the unrouted queue by
    /// the router. Events the alternate exchange caught are confirmed as routed; <see cref="UnroutedQueueDepthAsync"/> counts them.
    /// </summary>
    public RouterCounts Counts => new(Interlocked.Read(ref _routed), Interlocked.Read(ref _noHost), Interlocked.Read(ref _poison), Interlocked.Read(ref _unrouted));

    /// <summary>Whether the router's exchange was declared with its alternate exchange (else only mandatory publishing catches unroutable events).</summary>
    public bool HasAlternateExchange => _hasAlternateExchange;

    public Task RunAsync(CancellationToken cancellationToken) => ConsumerLoop.RunUntilCancelledAsync(StartAsync, cancellationToken);

    public async Task<ConsumerLoop> StartAsync(CancellationToken cancellationToken = default)
    {
        ConsumerLoop? loop = null;
        loop = await ConsumerLoop.StartAsync(options, DeclareAsync, (d, ct) => RouteAsync(loop!, d, ct), null, logger, cancellationToken,
            deadLettered: _ => { Interlocked.Increment(ref _poison); return Task.CompletedTask; }).ConfigureAwait(false);
        return loop;
    }

    /// <summary>The gauge of events waiting in the unrouted queue (for hosts whose queue was not bound).</summary>
    public static async Task<uint> UnroutedQueueDepthAsync(ConsumerLoop loop, BrokerOptions options, CancellationToken cancellationToken = default)
    {
        await using var channel = await loop.Connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return (await channel.QueueDeclarePassiveAsync(options.UnroutedQueue, cancellationToken).ConfigureAwait(false)).MessageCount;
    }

    private async Task DeclareAsync(IConnection connection, IChannel channel, CancellationToken cancellationToken)
    {
        await BrokerTopology.DeclareQueuesAsync(channel, options, cancellationToken).ConfigureAwait(false);
        await BrokerTopology.BindToNovaAsync(channel, options, cancellationToken).ConfigureAwait(false);
        _hasAlternateExchange = await BrokerTopology.DeclareRouterExchangeAsync(connection, options, logger, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DeliveryAction> RouteAsync(ConsumerLoop loop, Delivery delivery, CancellationToken cancellationToken)
    {
        var decoded = NotificationDecoder.Decode(delivery.Body);
        if (decoded.Error is { } error)
        {
            await DeadLetters.PublishAsync(loop.PublishChannel, options, delivery, DeadLetters.Reason(error.ToString()), cancellationToken).ConfigureAwait(false);
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
        try
        {
            await loop.PublishChannel.BasicPublishAsync(options.RouterExchange, BrokerOptions.HostRoutingKey(e.Host), mandatory: true, properties, delivery.Body, cancellationToken).ConfigureAwait(false);
        }
        catch (PublishException returned) when (returned.IsReturn)
        {
            // No queue is bound for this host and no alternate exchange caught it: the unrouted queue keeps it (a return there fails the delivery).
            await loop.PublishChannel.BasicPublishAsync(options.UnroutedExchange, BrokerOptions.HostRoutingKey(e.Host), mandatory: true, properties, delivery.Body, cancellationToken).ConfigureAwait(false);
            logger.LogWarning(IntakeLog.Unrouted, "{EventType} {MessageId} for host {Host}: no queue bound; kept in {Queue}", e.EventType, e.MessageId, e.Host, options.UnroutedQueue);
            Interlocked.Increment(ref _unrouted);
            return DeliveryAction.Ack;
        }
        Interlocked.Increment(ref _routed);
        return DeliveryAction.Ack;
    }
}

/// <summary>What the router did: routed, named no host, dead-lettered, or kept in the unrouted queue after a return.</summary>
public sealed record RouterCounts(long Routed, long NoHost, long Poison, long Unrouted);
