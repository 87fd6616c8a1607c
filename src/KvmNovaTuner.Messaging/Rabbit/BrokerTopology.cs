using RabbitMQ.Client;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>Declares what the intake and the router need on the broker. Client topology recovery re-declares it after a broker restart.</summary>
public static class BrokerTopology
{
    public const string ReasonHeader = "x-kvm-nova-tuner-reason";
    public const string SourceQueueHeader = "x-kvm-nova-tuner-source-queue";

    /// <summary>Nova's exchange with Nova's flags (topic, durable per Nova's config, not auto-delete), or passively.</summary>
    public static Task DeclareNovaExchangeAsync(IChannel channel, BrokerOptions o, CancellationToken cancellationToken) =>
        o.NovaExchangePassive
            ? channel.ExchangeDeclarePassiveAsync(o.NovaExchange, cancellationToken)
            : channel.ExchangeDeclareAsync(o.NovaExchange, ExchangeType.Topic, durable: o.NovaExchangeDurable, autoDelete: false, cancellationToken: cancellationToken);

    public static Task DeclareRouterExchangeAsync(IChannel channel, BrokerOptions o, CancellationToken cancellationToken) =>
        channel.ExchangeDeclareAsync(o.RouterExchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);

    /// <summary>The durable consumer queue, its dead-letter exchange and queue.</summary>
    public static async Task DeclareQueuesAsync(IChannel channel, BrokerOptions o, CancellationToken cancellationToken)
    {
        await channel.QueueDeclareAsync(o.Queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.ExchangeDeclareAsync(o.DeadLetterExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueDeclareAsync(o.DeadLetterQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(o.DeadLetterQueue, o.DeadLetterExchange, o.DeadLetterQueue, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Binds the queue to Nova's notification keys.</summary>
    public static async Task BindToNovaAsync(IChannel channel, BrokerOptions o, CancellationToken cancellationToken)
    {
        await DeclareNovaExchangeAsync(channel, o, cancellationToken).ConfigureAwait(false);
        foreach (var key in o.NovaRoutingKeys)
        {
            await channel.QueueBindAsync(o.Queue, o.NovaExchange, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Binds the queue to the router's key for one host.</summary>
    public static async Task BindToRouterAsync(IChannel channel, BrokerOptions o, Core.Events.HostName host, CancellationToken cancellationToken)
    {
        await DeclareRouterExchangeAsync(channel, o, cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(o.Queue, o.RouterExchange, BrokerOptions.HostRoutingKey(host), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
