using System.CommandLine;
using KvmNovaTuner.HostTuning.Profiles;
using KvmNovaTuner.HostTuning.State;

namespace KvmNovaTuner.Cli.Commands.Host;

/// <summary>`host verify`: compares every value a profile manages with the host, pass or fail per item; exit 1 on any fail.</summary>
internal static class HostVerifyCommand
{
    /// <summary>The JSON document of `host verify --json`.</summary>
    internal sealed record VerifyDocument(string Profile, IReadOnlyList<VerifyOutcome> Items, int Passed, int Failed, IReadOnlyList<string> Problems);

    public static Command Create()
    {
        var profile = new Option<string>("--profile") { Description = "Profile to verify (default: the last one applied)" };
        var hostRoot = HostOptions.HostRoot();
        var stateDir = HostOptions.StateDir();
        var profileDirs = HostOptions.ProfileDirs();
        var json = HostOptions.JsonOutput();
        var command = new Command("verify", "Verify the host against a profile: pass/fail per managed value");
        foreach (var option in new Option[] { profile, hostRoot, stateDir, profileDirs, json })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var root = HostOptions.OpenRoot(r.GetValue(hostRoot)!);
            var name = r.GetValue(profile) ?? await LastAppliedAsync(r.GetValue(stateDir)!, ct)
                ?? throw new UsageException("no profile has been applied here: pass --profile NAME");
            var catalog = await HostOptions.LoadCatalogAsync(r.GetValue(profileDirs) ?? [], ct);
            var plan = await HostOptions.PlanAsync(root, catalog, name, ct);
            var items = await new HostProfileApplier(root, null).VerifyAsync(plan.Items.Items, ct);
            var passed = items.Count(i => i.Pass);
            var document = new VerifyDocument(plan.Profile.Name, items, passed, items.Count - passed, plan.Items.Problems);
            await HostTable.WriteAsync(r.GetValue(json), document, () => Table(document));
            return document.Failed > 0 || document.Problems.Count > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static async Task<string?> LastAppliedAsync(string stateDir, CancellationToken ct)
    {
        if (!HostStateStore.ExistsIn(stateDir))
        {
            return null;
        }
        await using var store = await HostStateStore.OpenAsync(stateDir, TimeProvider.System, ct);
        return (await store.GetJournalAsync(ct))?.Profile;
    }

    private static string Table(VerifyDocument document) =>
        $"profile {document.Profile}{Environment.NewLine}"
        + HostTable.Render(["ITEM", "RESULT", "WANTED", "ACTUAL", "PATH"],
            document.Items.Select(i => new[] { i.Item, i.Pass ? "pass" : "FAIL", i.Desired, HostOptions.Or(i.Actual), i.Note is null ? i.HostPath : $"{i.HostPath} ({i.Note})" }))
        + string.Concat(document.Problems.Select(p => $"problem: {p}{Environment.NewLine}"))
        + $"{document.Passed} passed, {document.Failed} failed{Environment.NewLine}";
}
