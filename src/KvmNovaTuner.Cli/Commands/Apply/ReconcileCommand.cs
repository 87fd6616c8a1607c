using System.CommandLine;
using System.Text.Json;
using KvmNovaTuner.Cli.Progress;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Progress;
using KvmNovaTuner.Libvirt.Reconciliation;

namespace KvmNovaTuner.Cli.Commands.Apply;

/// <summary>
/// The `reconcile --host NAME --libvirt-uri URI [--host-root DIR] [--dry-run] [--json] [--no-progress]` verb: brings every local
/// domain in line with the flavor in its Nova metadata. JSON: <c>{"host", "domains": [{"instance_uuid", "name",
/// "note", "diagnostics": [{"instance_uuid", "severity", "key", "message"}], "result": {...}}]}</c>; in text each
/// diagnostic line on stderr starts with its instance's uuid. Progress and its summary ("N domains, M changed" or, with
/// --dry-run, "M would change": the domains whose listed results change something) go to stderr. Exit 0 when nothing
/// failed and no plan has an error (a refused flavor), 1 otherwise.
/// </summary>
public static class ReconcileCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "This compute host's name as Nova knows it", Required = true };
        var uri = new Option<string>("--libvirt-uri") { Description = "libvirt connection URI", Required = true };
        var hostRoot = new Option<string?>("--host-root") { Description = "Read the host topology from /sys under this root instead of from libvirt" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Compare and report only; change nothing" };
        var json = new Option<bool>("--json") { Description = "Machine-readable report" };
        var command = new Command("reconcile", "Bring every local domain in line with its flavor") { host, uri, hostRoot, dryRun, json, CliProgress.NoProgress };
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            using var session = LibvirtSession.Open(r.GetValue(uri)!);
            var topology = await session.ReadTopologyAsync(r.GetValue(hostRoot), ct);
            var reconciler = new Reconciler(session.Connection, session.Dispatcher, r.GetValue(host)!);
            var report = await CliProgress.RunAsync(CliProgress.For(r, new ProgressWording("reconcile", "domains", r.GetValue(dryRun) ? "would change" : "changed")),
                progress => reconciler.ReconcileAsync(topology, r.GetValue(dryRun), progress, ct));
            if (r.GetValue(json))
            {
                Console.Out.WriteLine(ToJson(report));
            }
            else
            {
                foreach (var domain in report.Domains)
                {
                    Console.Out.WriteLine($"{domain.Uuid} {domain.Name}: {domain.Note}");
                    await ApplyOutput.WriteAsync(domain.Plan, domain.Result, json: false, nameInstance: true);
                }
            }
            return report.AnyFailed ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    public static string ToJson(ReconcileReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("host", report.Host);
            w.WriteStartArray("domains");
            foreach (var d in report.Domains)
            {
                w.WriteStartObject();
                w.WriteString("instance_uuid", d.Uuid);
                w.WriteString("name", d.Name);
                w.WriteString("note", d.Note);
                w.WriteStartArray("diagnostics");
                foreach (var diagnostic in d.Plan?.Diagnostics ?? [])
                {
                    w.WriteStartObject();
                    w.WriteString("instance_uuid", d.Uuid);
                    w.WriteString("severity", diagnostic.Severity.ToString().ToLowerInvariant());
                    w.WriteString("key", diagnostic.Key);
                    w.WriteString("message", diagnostic.Message);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WritePropertyName("result");
                ApplyResultJson.Write(w, d.Result);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
