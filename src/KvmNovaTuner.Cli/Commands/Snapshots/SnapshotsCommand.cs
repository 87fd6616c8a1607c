using System.CommandLine;
using System.Text.Json;
using KvmNovaTuner.Cli.Progress;
using KvmNovaTuner.Core.Progress;
using KvmNovaTuner.OpenStack;
using KvmNovaTuner.OpenStack.Auth;
using KvmNovaTuner.OpenStack.Http;
using KvmNovaTuner.OpenStack.Snapshots;

namespace KvmNovaTuner.Cli.Commands.Snapshots;

/// <summary>
/// `snapshots list [--server ID] [--json]` (recovery points from Glance and the recoveries recorded here) and
/// `snapshots prune [--server ID] [--keep N] [--dry-run] [--json]` (keep the newest N active snapshots per server:
/// N from the flavor's tuner:snapshot_keep, else --keep/3; never a protected image or one that is not a snapshot).
/// </summary>
public static class SnapshotsCommand
{
    internal static readonly Option<string?> Cloud = new("--cloud") { Description = "Cloud name in clouds.yaml (default: OS_CLOUD, else the OS_* variables)" };
    internal static readonly Option<string?> StateDir = new("--state-dir") { Description = "Where the snapshot store and outbox live (default $KNT_STATE_DIR, else /var/lib/kvm-nova-tuner)" };

    public static Command Create()
    {
        var command = new Command("snapshots", "List and prune snapshot recovery points");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Prune());
        return command;
    }

    private static Command List()
    {
        var server = new Option<string?>("--server") { Description = "Only this server" };
        var json = new Option<bool>("--json") { Description = "One JSON object: snapshots[], recoveries[]" };
        var command = new Command("list", "Show recovery points (snapshots) and recoveries") { server, json, Cloud, StateDir };
        command.SetAction((ParseResult r, CancellationToken ct) => WithWorkspaceAsync(r, async w =>
        {
            await w.Tracker.ScanAsync(r.GetValue(server), ct);
            var snapshots = w.Store.Snapshots(r.GetValue(server));
            var recoveries = w.Store.Recoveries(r.GetValue(server));
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    snapshots = snapshots.Select(s => new { image_id = s.ImageId, server_id = s.ServerId, status = s.Status, size = s.SizeBytes, created_at = s.CreatedAt }),
                    recoveries = recoveries.Select(v => new { id = v.Id, server_id = v.ServerId, image_id = v.ImageId, status = v.StatusText, trigger = v.Trigger, reason = v.Reason, started_at = v.StartedAt, finished_at = v.FinishedAt }),
                }));
                return ExitCodes.Success;
            }
            foreach (var s in snapshots) Console.WriteLine($"snapshot {s.ImageId} server {s.ServerId} {s.Status} {s.SizeBytes ?? 0} bytes {s.CreatedAt:u}");
            foreach (var v in recoveries) Console.WriteLine($"recovery {v.Id} server {v.ServerId} {v.StatusText} image {v.ImageId ?? "-"} ({v.Trigger}): {v.Reason}");
            if (snapshots.Count + recoveries.Count == 0) Console.WriteLine("no snapshots or recoveries");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Prune()
    {
        var server = new Option<string?>("--server") { Description = "Only this server's snapshots" };
        var keep = new Option<int?>("--keep") { Description = "Keep this many (overrides the flavor's tuner:snapshot_keep)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be deleted and why, delete nothing" };
        var json = new Option<bool>("--json") { Description = "One JSON object: decisions[], bytes_reclaimed, dry_run" };
        var command = new Command("prune", "Delete snapshots beyond the newest N per server") { server, keep, dryRun, json, Cloud, StateDir, CliProgress.NoProgress };
        command.SetAction((ParseResult r, CancellationToken ct) => WithWorkspaceAsync(r, async w =>
        {
            if (r.GetValue(keep) is < 1) throw new UsageException("--keep must be at least 1");
            var wording = new ProgressWording("snapshots prune", "snapshots", r.GetValue(dryRun) ? "would delete" : "deleted");
            var result = await CliProgress.RunAsync(CliProgress.For(r, wording),
                progress => w.Pruner.PruneAsync(r.GetValue(server), r.GetValue(dryRun), r.GetValue(keep), progress, ct));
            if (r.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    dry_run = result.DryRun,
                    bytes_reclaimed = result.BytesReclaimed,
                    decisions = result.Decisions.Select(d => new { image_id = d.Image.Id, server_id = d.ServerId, delete = d.Delete, reason = d.Reason, size = d.Image.SizeBytes }),
                }));
                return ExitCodes.Success;
            }
            foreach (var d in result.Decisions) Console.WriteLine($"{(d.Delete ? (result.DryRun ? "would delete" : "deleted") : "keep")} {d.Image.Id} (server {d.ServerId}): {d.Reason}");
            Console.WriteLine($"{(result.DryRun ? "would reclaim" : "reclaimed")} {result.BytesReclaimed} bytes");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Opens the cloud and the state directory, runs <paramref name="run"/>, and turns cloud errors into one-line usage errors.</summary>
    internal static async Task<int> WithWorkspaceAsync(ParseResult r, Func<SnapshotWorkspace, Task<int>> run)
    {
        try
        {
            using var cloud = OpenStackConnection.FromCloud(r.GetValue(Cloud));
            var workspace = new SnapshotWorkspace(cloud, r.GetValue(StateDir));
            var exit = await run(workspace);
            // Deliver tuner:snapshot / tuner:recovery now; what fails stays in the outbox for the agent.
            await workspace.Reporter.DrainOnceAsync();
            return exit;
        }
        catch (Exception e) when (e is CloudConfigException or OpenStackApiException or OpenStackUnavailableException)
        {
            throw new UsageException(e.Message);
        }
    }
}
