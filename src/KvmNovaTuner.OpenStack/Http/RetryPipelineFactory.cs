using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace KvmNovaTuner.OpenStack.Http;

/// <summary>
/// The Polly pipeline every OpenStack call goes through: retries connection failures, timeouts, 5xx and
/// 409-while-a-task-runs with exponential backoff and jitter; everything else fails at once. A POST that timed
/// out is not repeated (it may have started a snapshot or rebuild already).
/// </summary>
public static class RetryPipelineFactory
{
    public static ResiliencePipeline Create(RetryOptions options, TimeProvider timeProvider, ILogger logger) =>
        new ResiliencePipelineBuilder { TimeProvider = timeProvider }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<OpenStackUnavailableException>(e => e.SafeToRetry)
                    .Handle<OpenStackApiException>(e => e.IsTransient),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = args =>
                {
                    // Exception messages are already scrubbed of secrets by the transport.
                    logger.LogWarning("OpenStack call failed (attempt {Attempt}), retrying in {Delay} ms: {Reason}",
                        args.AttemptNumber + 1, (int)args.RetryDelay.TotalMilliseconds, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
}
