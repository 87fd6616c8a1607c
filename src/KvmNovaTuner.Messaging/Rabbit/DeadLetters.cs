using RabbitMQ.Client;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>Publishes a poison message, unchanged, to the dead-letter exchange with the reason in a header; returns once the broker confirmed it.</summary>
public static class DeadLetters
{
    public static async Task PublishAsync(IChannel confirmChannel, BrokerOptions o, Delivery delivery, string reason, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            ContentType = delivery.Properties.ContentType,
            MessageId = delivery.Properties.MessageId,
            Headers = new Dictionary<string, object?>
            {
                [BrokerTopology.ReasonHeader] = Truncate(reason, 1000),
                [BrokerTopology.SourceQueueHeader] = o.Queue,
            },
        };
        await confirmChannel.BasicPublishAsync(o.DeadLetterExchange, o.DeadLetterQueue, mandatory: false, properties, delivery.Body, cancellationToken).ConfigureAwait(false);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}
