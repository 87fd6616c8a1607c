namespace KvmNovaTuner.OpenStack.Http;

/// <summary>How transient failures are retried: exponential backoff with jitter, bounded attempts.</summary>
public sealed record RetryOptions
{
    public int MaxRetryAttempts { get; init; } = 5;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>Per-request timeout.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
