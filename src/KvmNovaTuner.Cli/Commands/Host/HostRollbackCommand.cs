using System.CommandLine;
using KvmNovaTuner.HostTuning.Profiles;
using KvmNovaTuner.HostTuning.State;

namespace KvmNovaTuner.Cli.Commands.Host;

/// <summary>`host rollback`: writes every saved original back (also after an apply that crashed midway).</summary>
internal static class HostRollbackCommand
{
    /// <summary>The JSON document of `host rollback --json`.</summary>
    internal sealed record RollbackDocument(string? Profile, IReadOnlyList<ItemOutcome> Results);

    public static Command Create()
    {
        var hostRoot = HostOptions.HostRoot();
        var stateDir = HostOptions.StateDir();
        var json = HostOptions.JsonOutput();
        var command = new Command("rollback", "Write the saved original values back and forget them");
        foreach (var option in new Option[] { hostRoot, stateDir, json })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var root = HostOptions.OpenRoot(r.GetValue(hostRoot)!);
            var dir = r.GetValue(stateDir)!;
            if (!HostStateStore.ExistsIn(dir))
            {
                await HostTable.WriteAsync(r.GetValue(json), new RollbackDocument(null, []), () => $"nothing to roll back (no store in {dir}){Environment.NewLine}");
                return ExitCodes.Success;
            }
            await using var store = await HostStateStore.OpenAsync(dir, TimeProvider.System, ct);
            var profile = (await store.GetJournalAsync(ct))?.Profile;
            var results = await new HostProfileApplier(root, store).RollbackAsync(ct);
            var document = new RollbackDocument(profile, results);
            await HostTable.WriteAsync(r.GetValue(json), document, () => Table(document));
            return results.Any(o => o.Status == ItemStatus.Failed) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static string Table(RollbackDocument document) =>
        document.Results.Count == 0
            ? $"nothing to roll back{Environment.NewLine}"
            : $"rolling back {document.Profile ?? "saved values"}{Environment.NewLine}"
              + HostTable.Render(["ITEM", "STATUS", "BEFORE", "AFTER", "MESSAGE"],
                  document.Results.Select(o => new[] { o.Item, HostApplyCommand.StatusText(o.Status), HostOptions.Or(o.Before), HostOptions.Or(o.After), o.Message }));
}
