using KvmNovaTuner.Core.HostProfile;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.HostTuning.Controllers;

/// <summary>What one controller step did: the KSM decision written (if one was due) and the pools released.</summary>
public sealed record ControllerStepReport(KsmDecision? Ksm, IReadOnlyList<PoolDecision> Released);

/// <summary>
/// Runs the host controllers in the agent: every <c>period</c> (on the injected clock) a KSM step (adaptive or guard
/// only, as the profile says: <see cref="ControllerSettings.KsmAdaptive"/>) and a hugepage release step. A failed host read or write is logged and the loop goes on.
/// </summary>
public sealed class HostControllerLoop(KsmControllerRunner? ksm, HugepagePoolRunner pools, TimeProvider time, TimeSpan period, ILogger<HostControllerLoop> logger)
{
    /// <summary>Called after each step (metrics, logs, tests).</summary>
    public Action<ControllerStepReport>? OnStep { get; set; }

    /// <summary>Steps at once, then every period, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(period, time);
        try
        {
            do
            {
                var report = await StepAsync(cancellationToken).ConfigureAwait(false);
                OnStep?.Invoke(report);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping is the normal end of the loop
        }
    }

    public async Task<ControllerStepReport> StepAsync(CancellationToken cancellationToken = default)
    {
        KsmDecision? decision = null;
        var released = new List<PoolDecision>();
        try
        {
            if (ksm is not null && (decision = await ksm.StepAsync(cancellationToken).ConfigureAwait(false)) is { } d)
            {
                logger.LogInformation("KSM run={Run} pages_to_scan={Pages} sleep_millisecs={Sleep}: {Reason}", d.Run, d.PagesToScan, d.SleepMillisecs, d.Reason);
            }
            foreach (var (pool, written) in await pools.StepAsync(cancellationToken).ConfigureAwait(false))
            {
                released.Add(pool);
                logger.LogInformation("hugepages: {Reason}; pool now {Total} pages", pool.Reason, written.TotalAfter);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            logger.LogWarning(e, "host controller step failed; retrying next period");
        }
        return new ControllerStepReport(decision, released);
    }
}
