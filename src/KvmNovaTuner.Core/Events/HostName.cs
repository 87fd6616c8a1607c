namespace KvmNovaTuner.Core.Events;

/// <summary>
/// A compute host's name as Nova knows it (<c>[DEFAULT] host</c>, the payload's <c>host</c>, the RPC topic
/// <c>compute.HOST</c>). One comparison rule everywhere, Nova's own: exact, case and all. Nova's compute manager
/// skips an instance whose <c>instance.host != self.host</c> (a plain string comparison) and RabbitMQ routing keys
/// are case-sensitive, so <c>DEMO-COMPUTE</c> is another host than <c>demo-compute</c>. Used by the event filter,
/// the planner and the router's routing key.
/// </summary>
public readonly record struct HostName
{
    public HostName(string value)
    {
        Value = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("a host name is required", nameof(value)) : value;
    }

    public string Value { get; }

    /// <summary>True when <paramref name="other"/> names this host (exact comparison); false for null.</summary>
    public bool Is(string? other) => other is not null && string.Equals(Value, other, StringComparison.Ordinal);

    /// <summary>The router's topic routing key for this host.</summary>
    public string RoutingKey => "host." + Value;

    public override string ToString() => Value;

    public static implicit operator HostName(string value) => new(value);
}
