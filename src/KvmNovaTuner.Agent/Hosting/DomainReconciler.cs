using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Libvirt.Xml;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// The start-up and periodic scan: every local domain that carries Nova metadata is run through the pipeline as a
/// <c>tuner.reconcile</c> event (specs from its XML), so drifted or never-applied tuning is repaired.
/// </summary>
public sealed class DomainReconciler(AgentRuntime runtime, TimeProvider time) : IReconciler
{
    public const string EventType = "tuner.reconcile";

    public async Task<ReconcileSummary> ReconcileAsync(CancellationToken cancellationToken = default)
    {
        var uuids = new List<string>();
        if (runtime.Libvirt is not { } libvirt) return new ReconcileSummary(0, 0, 0);
        foreach (var domain in libvirt.ListAllDomains())
        {
            using (domain)
            {
                if (DomainReader.Read(domain.GetXml(), domain.IsActive).Nova is not null) uuids.Add(domain.Uuid);
            }
        }
        int repaired = 0, failed = 0;
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var uuid in uuids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var run = await runtime.Pipeline.RunAsync(new InstanceEvent
            {
                Format = NotificationFormat.Versioned,
                EventType = EventType,
                MessageId = $"reconcile-{uuid}-{time.GetUtcNow().ToUnixTimeSeconds()}",
                InstanceUuid = uuid,
                Host = null,
            }, cancellationToken).ConfigureAwait(false);
            if (run.Outcome.Status == "failed") failed++;
            else if (run.Results.Any(r => r.Status == Core.Plans.ActionStatus.Applied)) repaired++;
            foreach (var applied in run.Results.Where(r => r.Status == Core.Plans.ActionStatus.Applied))
            {
                kinds[applied.Kind] = kinds.GetValueOrDefault(applied.Kind) + 1;
            }
        }
        return new ReconcileSummary(uuids.Count, repaired, failed, kinds);
    }
}
