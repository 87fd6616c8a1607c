using System.CommandLine;
using System.Text.Json;
using KvmNovaTuner.Agent.Demo;
using KvmNovaTuner.Libvirt.Native;

namespace KvmNovaTuner.Cli.Commands.Product;

/// <summary>
/// The `demo` verb: a private libvirt test host and ovsdb-server, the bundled notifications for tuned flavors
/// replayed through the real pipeline, and per instance what was planned, applied, left pending or refused.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Run the self-contained demo: tune Nova-style domains on a private libvirt test host and OVSDB from bundled notifications");
        var notifications = new Option<string?>("--notifications") { Description = "JSON-lines notifications to replay (default: the bundled demo/notifications.jsonl)", HelpName = "FILE" };
        var keep = new Option<bool>("--keep") { Description = "Keep the work directory (host XML, sysfs tree, OVSDB) for inspection" };
        var json = new Option<bool>("--json") { Description = "Machine-readable report" };
        command.Options.Add(notifications);
        command.Options.Add(keep);
        command.Options.Add(json);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var file = r.GetValue(notifications) ?? BundledFile();
            if (!File.Exists(file)) throw new UsageException($"notifications file '{file}' does not exist");
            if (!LibvirtRuntime.IsAvailable(out var reason)) throw new UsageException($"the demo needs libvirt's library: {reason} (bash scripts/demo.sh installs it)");
            var work = Directory.CreateTempSubdirectory("knt-demo-").FullName;
            var asJson = r.GetValue(json);
            try
            {
                var report = await new DemoRunner(TimeProvider.System).RunAsync(file, work, asJson ? null : line => Console.Out.WriteLine($"# {line}"), ct);
                if (asJson)
                {
                    await Console.Out.WriteLineAsync(JsonSerializer.Serialize(DemoJson.From(report)));
                }
                else
                {
                    await DemoText.WriteAsync(Console.Out, report);
                }
                return ExitCodes.Success;
            }
            finally
            {
                if (r.GetValue(keep)) await Console.Error.WriteLineAsync($"work directory kept: {work}");
                else Directory.Delete(work, recursive: true);
            }
        });
        return command;
    }

    private static string BundledFile()
    {
        var besideExecutable = Path.Combine(AppContext.BaseDirectory, "demo", "notifications.jsonl");
        return File.Exists(besideExecutable) ? besideExecutable : Path.Combine("demo", "notifications.jsonl");
    }
}
