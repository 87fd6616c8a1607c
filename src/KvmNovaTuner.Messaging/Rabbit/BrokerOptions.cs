namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>Where a consumer reads from: Nova's own exchange, or the router's per-host topic exchange.</summary>
public enum IntakeSource
{
    Nova,
    Router,
}

/// <summary>
/// The broker side of the intake and the router: connection, Nova's exchange (declared with Nova's own flags —
/// topic, non-durable by default — or passively, never with other flags), queues, prefetch and dead-lettering.
/// </summary>
public sealed record BrokerOptions
{
    public required Uri BrokerUri { get; init; }
    /// <summary>The durable queue this consumer reads.</summary>
    public required string Queue { get; init; }
    public ushort Prefetch { get; init; } = 200;
    /// <summary>Deliveries handled at once; 1 keeps Nova's order (the default).</summary>
    public ushort Concurrency { get; init; } = 1;
    public string NovaExchange { get; init; } = "nova";
    /// <summary>Declare Nova's exchange passively (it must exist) instead of with Nova's flags.</summary>
    public bool NovaExchangePassive { get; init; }
    /// <summary>Nova's <c>amqp_durable_queues</c>: the exchange's durable flag must match it.</summary>
    public bool NovaExchangeDurable { get; init; }
    /// <summary>Also bind the legacy (unversioned) routing keys.</summary>
    public bool BindLegacy { get; init; }
    public string RouterExchange { get; init; } = "kvm-nova-tuner";
    public string DeadLetterExchange { get; init; } = "kvm-nova-tuner.dead-letter";
    public TimeSpan NetworkRecoveryInterval { get; init; } = TimeSpan.FromSeconds(2);
    public string ClientName { get; init; } = "kvm-nova-tuner";

    /// <summary>
    /// The router exchange's alternate exchange (fanout) and the durable queue bound to it: an event for a host whose
    /// queue is not bound lands there instead of being dropped.
    /// </summary>
    public string UnroutedExchange => RouterExchange + ".unrouted";

    /// <summary>The queue bound to <see cref="UnroutedExchange"/>.</summary>
    public string UnroutedQueue => RouterExchange + ".unrouted";

    /// <summary>The queue poison messages of <see cref="Queue"/> go to.</summary>
    public string DeadLetterQueue => Queue + ".dead-letter";

    /// <summary>Nova's notification routing keys this consumer binds.</summary>
    public IReadOnlyList<string> NovaRoutingKeys => BindLegacy
        ? ["versioned_notifications.info", "versioned_notifications.error", "notifications.info", "notifications.error"]
        : ["versioned_notifications.info", "versioned_notifications.error"];

    /// <summary>The router's routing key for one host.</summary>
    public static string HostRoutingKey(Core.Events.HostName host) => host.RoutingKey;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Queue))
        {
            throw new ArgumentException("a queue name is required");
        }
        if (Prefetch == 0 || Concurrency == 0)
        {
            throw new ArgumentException("prefetch and concurrency must be at least 1");
        }
    }
}
