using KvmNovaTuner.Agent.Pipeline;
using KvmNovaTuner.Core.State;

namespace KvmNovaTuner.Agent.Demo;

/// <summary>What the demo did with one notification: handled (with the pipeline run), or dropped and why.</summary>
public sealed record DemoEventReport(
    int Line,
    string EventType,
    string? MessageId,
    string? InstanceUuid,
    string? Flavor,
    string Disposition,
    string Reason,
    PipelineRun? Run,
    IReadOnlyList<OvsPortState> PortsAfter,
    IReadOnlyList<string> XmlChanges);

/// <summary>The whole demo: where its private services ran, every event's report, and how long it took.</summary>
public sealed record DemoReport(
    string Host,
    string LibvirtUri,
    string? OvsdbAddress,
    string? OvsdbSkipped,
    int? OvsdbPid,
    IReadOnlyList<DemoEventReport> Events,
    IReadOnlyList<string> HugepagePools,
    TimeSpan Elapsed);
