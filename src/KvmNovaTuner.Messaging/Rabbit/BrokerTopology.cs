using KvmNovaTuner.Messaging.Pipeline;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>Declares what the intake and the router need on the broker. Client topology recovery re-declares it after a broker restart.</summary>
public static class BrokerTopology
{
    public const string ReasonHeader = "x-kvm-nova-tuner-reason";
    public const string SourceQueueHeader = "x-kvm-nova-tuner-source-queue";
    public const string AlternateExchangeArgument = "alternate-exchange";
    private const ushort PreconditionFailed = 406;

    /// <summary>Nova's exchange with Nova's flags (topic, durable per Nova's config, not auto-delete), or passively.</summary>
    public static Task DeclareNovaExchangeAsync(IChannel channel, BrokerOptions o, CancellationToken cancellationToken) =>
        o.NovaExchangePassive
            ? channel.ExchangeDeclarePassiveAsync(o.NovaExchange, cancellationToken)
            : channel.ExchangeDeclareAsync(o.NovaExchange, ExchangeType.Topic, durable: o.NovaExchangeDurable, autoDelete: false, cancellationToken: cancellationToken);

    /// <summary>
    /// The router's topic exchange with its alternate exchange (fanout, bound to the unrouted queue), each on a
    /// channel of its own. Where the exchange exists without the alternate exchange, re-declaring it with other
    /// arguments fails (406 PRECONDITION_FAILED): then it is used as it is, a warning says how to add the alternate
    /// exchange by policy, and the router's mandatory publishing still catches unroutable events. Returns whether
    /// the exchange was declared with the alternate exchange.
    /// </summary>
    public static async Task<bool> DeclareRouterExchangeAsync(IConnection connection, BrokerOptions o, ILogger logger, CancellationToken cancellationToken)
    {
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await channel.ExchangeDeclareAsync(o.UnroutedExchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.QueueDeclareAsync(o.UnroutedQueue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            await channel.QueueBindAsync(o.UnroutedQueue, o.UnroutedExchange, "", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        var declare = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            var arguments = new Dictionary<string, object?> { [AlternateExchangeArgument] = o.UnroutedExchange };
            await declare.ExchangeDeclareAsync(o.RouterExchange, ExchangeType.Topic, durable: true, autoDelete: false, arguments, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == PreconditionFailed)
        {
            logger.LogWarning(IntakeLog.Broker,
                "Exchange {Exchange} exists with other arguments than {Argument}={Alternate} ({Reason}); used as it is, unroutable events are caught by mandatory publishing. Unless a policy sets it, add it with: rabbitmqctl set_policy kvm-nova-tuner-unrouted '^{Exchange}$' '{{\"alternate-exchange\":\"{Alternate}\"}}' --apply-to exchanges",
                o.RouterExchange, AlternateExchangeArgument, o.UnroutedExchange, e.ShutdownReason.ReplyText, o.RouterExchange, o.UnroutedExchange);
            await using var check = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await check.ExchangeDeclarePassiveAsync(o.RouterExchange, cancellationToken).ConfigureAwait(false);
            return false;
        }
        finally
        {
            declare.Dispose();
        }
    }

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

    /// <summary>Binds the queue to the router's key for one host (declaring the router's exchange as the router does).</summary>
    public static async Task BindToRouterAsync(IConnection connection, IChannel channel, BrokerOptions o, Core.Events.HostName host, ILogger logger, CancellationToken cancellationToken)
    {
        await DeclareRouterExchangeAsync(connection, o, logger, cancellationToken).ConfigureAwait(false);
        await channel.QueueBindAsync(o.Queue, o.RouterExchange, BrokerOptions.HostRoutingKey(host), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
