using RabbitMQ.Client;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>One delivery, with its body copied out of the client's buffer (valid after the callback returns).</summary>
public sealed record Delivery(ReadOnlyMemory<byte> Body, bool Redelivered, IReadOnlyBasicProperties Properties)
{
    /// <summary>What the consumer's prepare stage made of the body (e.g. the decoded event), or null.</summary>
    public object? Prepared { get; init; }
}

/// <summary>What to do with a delivery once processed.</summary>
public enum DeliveryAction
{
    /// <summary>The outcome is recorded (or the message dead-lettered): ack.</summary>
    Ack,
    /// <summary>A transient failure (store or broker): nack and requeue, after a short pause.</summary>
    Requeue,
}
