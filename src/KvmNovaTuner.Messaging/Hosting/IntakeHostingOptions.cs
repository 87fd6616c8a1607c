using KvmNovaTuner.Messaging.Rabbit;

namespace KvmNovaTuner.Messaging.Hosting;

/// <summary>What the hosted intake needs: the broker side, where to read from, this host's name and where its store lives.</summary>
public sealed record IntakeHostingOptions(BrokerOptions Broker, IntakeSource Source, string Host, string StateDir)
{
    /// <summary>How long handled message ids are remembered for dedupe (and journal rows kept).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);
}
