namespace KvmNovaTuner.Ovs.Protocol;

/// <summary>Timeouts, keepalive and reconnect backoff of an <see cref="OvsdbClient"/>.</summary>
public sealed record OvsdbClientOptions
{
    /// <summary>How long one request (or waiting for a reconnect before it) may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the client sends <c>echo</c>; an unanswered echo drops and re-opens the connection. Zero disables.</summary>
    public TimeSpan KeepaliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid value.</summary>
    public void Validate()
    {
        if (RequestTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("RequestTimeout must be positive", nameof(RequestTimeout));
        }
        if (KeepaliveInterval < TimeSpan.Zero)
        {
            throw new ArgumentException("KeepaliveInterval must not be negative", nameof(KeepaliveInterval));
        }
        if (ReconnectInitialDelay <= TimeSpan.Zero || ReconnectMaxDelay < ReconnectInitialDelay)
        {
            throw new ArgumentException("reconnect delays must be positive and initial <= max", nameof(ReconnectInitialDelay));
        }
    }
}
