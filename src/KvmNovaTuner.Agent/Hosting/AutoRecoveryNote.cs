using KvmNovaTuner.Agent.Pipeline;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>What automatic recovery made of an instance-went-to-ERROR event, for the event's journal detail.</summary>
public static class AutoRecoveryNote
{
    public const string Unavailable = "auto-recovery: unavailable (no OpenStack credentials)";

    /// <summary>Offers the event, with the specs the pipeline resolved (event, else domain XML, else Nova API), to <paramref name="autoRecovery"/>.</summary>
    public static string For(PipelineRun run, AutoRecoveryRunner? autoRecovery)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (autoRecovery is null) return Unavailable;
        var specs = run.SpecSource == SpecSource.None ? null : run.Event.Flavor?.ExtraSpecs ?? run.DomainBefore?.Nova?.ExtraSpecs;
        return autoRecovery.Offer(run.Event, specs);
    }
}
