using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.OpenStack.Reporting;

namespace KvmNovaTuner.Agent.Pipeline;

/// <summary>
/// Queues each final outcome in the durable outbox as the server's <c>tuner:status</c> and <c>tuner:detail</c>;
/// the <see cref="StatusReporter"/> delivers them to Nova with retries. Non-final outcomes (unchanged, ignored) are not written.
/// </summary>
public sealed class NovaOutcomeReporter(StatusReporter reporter, OutboxStore outbox, AgentMetrics metrics) : IOutcomeReporter
{
    public Task ReportAsync(PipelineRun run, CancellationToken cancellationToken = default)
    {
        if (run.Event.InstanceUuid is { Length: > 0 } server && TunerMetadata.ParseWire(run.Outcome.Status) is { } status)
        {
            reporter.Report(server, status, run.Outcome.Detail);
        }
        metrics.OutboxDepth.Set(outbox.All().Count);
        return Task.CompletedTask;
    }
}
