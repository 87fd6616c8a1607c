using KvmNovaTuner.Agent.Demo;
using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Cli.Commands.Product;

/// <summary>The demo report for people: per instance, what was planned, applied, pending a restart or refused, and why.</summary>
internal static class DemoText
{
    public static async Task WriteAsync(TextWriter o, DemoReport report)
    {
        foreach (var e in report.Events)
        {
            await o.WriteLineAsync();
            await o.WriteLineAsync($"== line {e.Line}: {e.EventType} instance {e.InstanceUuid ?? "-"} flavor {e.Flavor ?? "-"}");
            if (e.Run is not { } run)
            {
                await o.WriteLineAsync($"   {e.Disposition}: {e.Reason}");
                continue;
            }
            await o.WriteLineAsync($"   outcome: {run.Outcome.Status} — {run.Outcome.Detail} (specs from {run.SpecSource})");
            foreach (var d in run.Plan.Diagnostics)
            {
                await o.WriteLineAsync($"   {d.Severity.ToString().ToLowerInvariant(),-7} {d.Key}: {d.Message}");
            }
            foreach (var a in run.Plan.Actions)
            {
                var result = run.Results.FirstOrDefault(x => x.Kind == a.Kind && x.Target == a.Target);
                var status = result is null ? "not run" : Status(result.Status);
                await o.WriteLineAsync($"   [{status}] {a.Kind} {a.Target} {Settings(a.Settings)} ({a.When.ToString().ToLowerInvariant()})");
                await o.WriteLineAsync($"       why: {a.Reason}");
                if (result?.Message is { Length: > 0 } message) await o.WriteLineAsync($"       result: {message}");
            }
            foreach (var p in e.PortsAfter)
            {
                await o.WriteLineAsync($"   ovs port {p.Name}: ingress_policing_rate={p.IngressPolicingRate} burst={p.IngressPolicingBurst} qos={p.QosType ?? "none"} {Settings(p.QosSettings)} owner={p.Owner ?? "-"}");
            }
            foreach (var c in e.XmlChanges.Take(20))
            {
                await o.WriteLineAsync($"   xml {c}");
            }
        }
        await o.WriteLineAsync();
        await o.WriteLineAsync($"hugepage pools after: {string.Join("; ", report.HugepagePools)}");
        var handled = report.Events.Where(e => e.Run is not null).GroupBy(e => e.Run!.Outcome.Status).Select(g => $"{g.Count()} {g.Key}");
        var dropped = report.Events.Where(e => e.Run is null).GroupBy(e => e.Disposition).Select(g => $"{g.Count()} {g.Key}");
        await o.WriteLineAsync($"summary: {report.Events.Count} notifications: {string.Join(", ", handled.Concat(dropped))}; {report.Elapsed.TotalSeconds:0.0} s; nothing left running");
        if (report.OvsdbSkipped is not null) await o.WriteLineAsync($"note: OVS part skipped: {report.OvsdbSkipped}");
    }

    private static string Status(ActionStatus s) => s switch
    {
        ActionStatus.PendingRestart => "pending-restart",
        _ => s.ToString().ToLowerInvariant(),
    };

    private static string Settings(IReadOnlyDictionary<string, string> settings) =>
        string.Join(" ", settings.Select(kv => $"{kv.Key}={kv.Value}"));
}
