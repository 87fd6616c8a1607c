using KvmNovaTuner.HostTuning.Flavors;
using System.CommandLine;
using System.Text.Json;
using KvmNovaTuner.Cli.Progress;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Progress;
using KvmNovaTuner.OpenStack;
using KvmNovaTuner.OpenStack.Auth;
using KvmNovaTuner.OpenStack.Flavors;
using KvmNovaTuner.OpenStack.Http;

namespace KvmNovaTuner.Cli.Commands.Flavors;

/// <summary>
/// `flavors sync PATH... [--cloud NAME] [--dry-run] [--json] [--no-progress]`: validates the catalog (nothing is sent when any
/// flavor is invalid), shows the difference with the cloud (create, description, extra spec add/change/remove,
/// conflicts) and applies it unless --dry-run. Exit 0 when in sync afterwards, 1 for invalid flavors or conflicts,
/// 2 for usage or cloud errors.
/// </summary>
public static class FlavorsSyncCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Catalog files or directories of *.yaml files", Arity = ArgumentArity.OneOrMore };
        var cloud = new Option<string?>("--cloud") { Description = "Cloud name in clouds.yaml (default: OS_CLOUD, else the OS_* variables)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show the difference without changing the cloud" };
        var json = new Option<bool>("--json") { Description = "One JSON object: dry_run, applied, changes[], conflicts" };
        var command = new Command("sync", "Create and update the catalog's flavors in Nova") { paths, cloud, dryRun, json, CliProgress.NoProgress };
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var files = (r.GetValue(paths) ?? []).SelectMany(CatalogFiles).ToList();
            var problems = await FlavorsValidateCommand.ValidateAsync(files, ct);
            foreach (var (file, problem) in problems) await Console.Error.WriteLineAsync(FlavorsValidateCommand.TextLine(file, problem));
            if (problems.Any(p => p.Problem.Severity == DiagnosticSeverity.Error))
            {
                await Console.Error.WriteLineAsync("nothing was sent: fix the invalid flavors first");
                return ExitCodes.Failure;
            }
            var catalog = await LoadAsync(files, ct);
            try
            {
                return await SyncAsync(catalog, r.GetValue(cloud), r.GetValue(dryRun), r.GetValue(json), CliProgress.For(r, new ProgressWording("flavors sync", "flavors")), ct);
            }
            catch (Exception e) when (e is CloudConfigException or OpenStackApiException or OpenStackUnavailableException)
            {
                throw new UsageException(e.Message);
            }
        });
        return command;
    }

    private static async Task<int> SyncAsync(IReadOnlyList<CatalogFlavor> catalog, string? cloudName, bool dryRun, bool json, ProgressRenderer? renderer, CancellationToken ct)
    {
        using var connection = OpenStackConnection.FromCloud(cloudName);
        var syncer = new FlavorSyncer(connection.Nova);
        var changes = await syncer.PlanAsync(catalog, ct);
        var conflicts = changes.Count(c => c.Kind == FlavorChangeKind.Conflict);
        var applied = !dryRun && changes.Count > conflicts;
        if (!json)
        {
            foreach (var change in changes) Console.WriteLine(change.Describe());
            if (changes.Count == 0) Console.WriteLine($"{catalog.Count} flavors already in sync");
        }
        if (applied)
        {
            await CliProgress.RunAsync(renderer, async progress =>
            {
                // Every flavor applied is a changed one; a failure throws and ends the run.
                var perFlavor = progress is null ? null : new SynchronousProgress(p => progress.Report(new WorkProgress(p.Done, p.Total, p.Done)));
                await syncer.ApplyAsync(catalog, changes, perFlavor, ct);
                return true;
            });
        }
        if (json) Console.WriteLine(Json(changes, dryRun, applied, conflicts));
        else if (dryRun && changes.Count > conflicts) Console.WriteLine("dry run: nothing was changed");
        return conflicts > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    private static async Task<IReadOnlyList<CatalogFlavor>> LoadAsync(IReadOnlyList<string> files, CancellationToken ct)
    {
        var flavors = new List<CatalogFlavor>();
        foreach (var file in files)
        {
            var parsed = await FlavorCatalogFile.ReadAsync(file, ct);
            // Validation passed, so every field is present.
            flavors.AddRange(parsed.Flavors.Select(f => new CatalogFlavor(f.Name!, f.Vcpus!.Value, f.RamMb!.Value, f.DiskGb!.Value, f.Description, f.ExtraSpecs, file)));
        }
        var duplicate = flavors.GroupBy(f => f.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new UsageException($"flavor {duplicate.Key} is declared in more than one file");
        return flavors;
    }

    private static IEnumerable<string> CatalogFiles(string path) =>
        Directory.Exists(path) ? Directory.GetFiles(path, "*.y*ml").Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
        : File.Exists(path) ? [path]
        : throw new UsageException($"no such file or directory: {path}");

    private static string Json(IReadOnlyList<FlavorChange> changes, bool dryRun, bool applied, int conflicts) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["dry_run"] = dryRun,
        ["applied"] = applied,
        ["conflicts"] = conflicts,
        ["changes"] = changes.Select(c => new Dictionary<string, string?>
        {
            ["flavor"] = c.Flavor,
            ["kind"] = JsonNamingPolicy.SnakeCaseLower.ConvertName(c.Kind.ToString()),
            ["key"] = c.Key,
            ["old"] = c.OldValue,
            ["new"] = c.NewValue,
            ["suggested_name"] = c.SuggestedName,
        }).ToList(),
    });

    /// <summary>Reports progress on the calling thread (Progress&lt;T&gt; would post to the thread pool and reorder lines).</summary>
    private sealed class SynchronousProgress(Action<FlavorSyncProgress> report) : IProgress<FlavorSyncProgress>
    {
        public void Report(FlavorSyncProgress value) => report(value);
    }
}
