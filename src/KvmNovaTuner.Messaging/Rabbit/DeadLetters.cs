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

    /// <summary>A reason fit for a header and a log line: control characters escaped, at most <see cref="MaxReason"/> characters.</summary>
    public static string Reason(string text)
    {
        var escaped = new System.Text.StringBuilder(Math.Min(text.Length, MaxReason + 8));
        foreach (var c in text)
        {
            if (escaped.Length >= MaxReason)
            {
                break;
            }
            escaped.Append(char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return escaped.Length <= MaxReason ? escaped.ToString() : escaped.ToString(0, MaxReason - 1) + "…";
    }
}
