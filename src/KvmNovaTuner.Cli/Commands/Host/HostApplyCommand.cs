using System.CommandLine;
using KvmNovaTuner.HostTuning.Profiles;
using KvmNovaTuner.HostTuning.State;

namespace KvmNovaTuner.Cli.Commands.Host;

/// <summary>`host apply`: saves each value's original, writes the profile's value, reads it back; finishes an interrupted apply.</summary>
internal static class HostApplyCommand
{
    /// <summary>The JSON document of `host apply --json`.</summary>
    /// <param name="Kept">Hugepage pools kept above the profile's value, with why (pages in use, promised to guests).</param>
    internal sealed record ApplyDocument(string Profile, IReadOnlyList<string> Chain, bool DryRun, string? Resumed, IReadOnlyList<ItemOutcome> Results, IReadOnlyList<string> Problems,
        IReadOnlyList<string> Kept, IReadOnlyList<string> Notes);

    public static Command Create()
    {
        var profile = new Option<string>("--profile") { Description = "Profile to apply (virtual-host, virtual-host-dense, virtual-host-latency, ...)", Required = true };
        var hostRoot = HostOptions.HostRoot();
        var stateDir = HostOptions.StateDir();
        var profileDirs = HostOptions.ProfileDirs();
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would change; write nothing" };
        var json = HostOptions.JsonOutput();
        var libvirtUri = new Option<string>("--libvirt-uri")
        {
            Description = "Where the guests' hugepage needs are read (no pool is lowered below pages in use plus those); 'none' to skip",
            DefaultValueFactory = _ => "qemu:///system",
        };
        var command = new Command("apply", "Apply a host profile: save each original value, write, read back");
        foreach (var option in new Option[] { profile, hostRoot, stateDir, profileDirs, dryRun, json, libvirtUri })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var root = HostOptions.OpenRoot(r.GetValue(hostRoot)!);
            var catalog = await HostOptions.LoadCatalogAsync(r.GetValue(profileDirs) ?? [], ct);
            var notes = new List<string>();
            var guests = await GuestHugepageNeeds.ReadAsync(r.GetValue(libvirtUri)!, notes, ct);
            var plan = await HostOptions.PlanAsync(root, catalog, r.GetValue(profile)!, ct, guests);
            var isDryRun = r.GetValue(dryRun);
            IReadOnlyList<ItemOutcome> results;
            string? resumed = null;
            if (isDryRun)
            {
                results = await new HostProfileApplier(root, null).ApplyAsync(plan.Profile.Name, plan.Items.Items, dryRun: true, ct);
            }
            else
            {
                await using var store = await HostStateStore.OpenAsync(r.GetValue(stateDir)!, TimeProvider.System, ct);
                resumed = await store.GetJournalAsync(ct) is { Completed: false } journal ? journal.Profile : null;
                results = await new HostProfileApplier(root, store).ApplyAsync(plan.Profile.Name, plan.Items.Items, dryRun: false, ct);
            }
            var document = new ApplyDocument(plan.Profile.Name, plan.Profile.Chain, isDryRun, resumed, results, plan.Items.Problems, plan.Items.Kept, notes);
            await HostTable.WriteAsync(r.GetValue(json), document, () => Table(document));
            var failed = results.Any(o => o.Status == ItemStatus.Failed) || plan.Items.Problems.Count > 0;
            return failed ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static string Table(ApplyDocument document)
    {
        var text = document.Resumed is { } resumed ? $"finishing an interrupted apply of '{resumed}'{Environment.NewLine}" : "";
        text += $"profile {document.Profile} ({string.Join(" <- ", document.Chain.Reverse())}){(document.DryRun ? ", dry run" : "")}{Environment.NewLine}";
        text += HostTable.Render(["ITEM", "STATUS", "BEFORE", "AFTER", "MESSAGE"],
            document.Results.Select(o => new[] { o.Item, StatusText(o.Status), HostOptions.Or(o.Before), HostOptions.Or(o.After), o.Message }));
        return text + string.Concat(document.Kept.Select(k => $"kept: {k}{Environment.NewLine}"))
            + string.Concat(document.Notes.Select(n => $"note: {n}{Environment.NewLine}"))
            + string.Concat(document.Problems.Select(p => $"problem: {p}{Environment.NewLine}"));
    }

    internal static string StatusText(ItemStatus status) => System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(status.ToString());
}
