using Polly;
using Polly.Retry;

namespace KvmNovaTuner.OpenStack.Snapshots;

/// <summary>How long to follow something that changes state (a snapshot upload, a rebuild).</summary>
public sealed record PollOptions
{
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    public int MaxPolls { get; init; } = 40;
}

/// <summary>Polls with exponential backoff and jitter (a Polly retry on the result) until a state is final.</summary>
public static class Poller
{
    /// <summary>The last value read: final when <paramref name="isFinal"/> accepted it, else the one read when polls ran out.</summary>
    public static async Task<T> UntilAsync<T>(Func<CancellationToken, Task<T>> read, Func<T, bool> isFinal, PollOptions options, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var pipeline = new ResiliencePipelineBuilder<T> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<T>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && !isFinal(args.Outcome.Result!)),
                MaxRetryAttempts = options.MaxPolls,
                Delay = options.FirstDelay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
        return await pipeline.ExecuteAsync(async ct => await read(ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }
}
