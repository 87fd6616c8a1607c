using KvmNovaTuner.Core.Text;
using RabbitMQ.Client;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>Publishes a poison message, unchanged, to the dead-letter exchange with the reason in a header; returns once the broker confirmed it.</summary>
public static class DeadLetters
{
    /// <summary>The longest reason a dead-lettered message carries.</summary>
    public const int MaxReason = 300;

    public static async Task PublishAsync(IChannel confirmChannel, BrokerOptions o, Delivery delivery, string reason, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = delivery.Properties.ContentType,
            MessageId = delivery.Properties.MessageId,
            Headers = new Dictionary<string, object?>
            {
                [BrokerTopology.ReasonHeader] = Reason(reason),
                [BrokerTopology.SourceQueueHeader] = o.Queue,
            },
        };
        await confirmChannel.BasicPublishAsync(o.DeadLetterExchange, o.DeadLetterQueue, mandatory: false, properties, delivery.Body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A reason fit for a header and a log line: escaped by the product's one escaper (<see cref="Printable"/>), at most
    /// <see cref="MaxReason"/> characters with its "…(+N chars)" tail (the escaper may end an escape and add the tail past its cut).
    /// </summary>
    public static string Reason(string text) => Printable.Escape(text, MaxReason - 30);
}
