using System.CommandLine;
using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Facts;
using KvmNovaTuner.HostTuning.Flavors;
using KvmNovaTuner.HostTuning.State;

namespace KvmNovaTuner.Cli.Commands.Host;

/// <summary>`host audit`: read-only findings about virtualisation, memory, NUMA, vhost-net and IO schedulers; exit 1 on an error.</summary>
internal static class HostAuditCommand
{
    /// <summary>The JSON document of `host audit --json`.</summary>
    internal sealed record AuditDocument(string HostRoot, IReadOnlyList<AuditFinding> Findings, int Errors, string? InterruptedApply);

    public static Command Create()
    {
        var hostRoot = HostOptions.HostRoot();
        var stateDir = HostOptions.StateDir();
        var json = HostOptions.JsonOutput();
        var flavors = new Option<string[]>("--flavors")
        {
            Description = "Flavor catalog YAML files or directories: judge whether each finding fits these flavors",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("audit", "Audit the host for KVM: VT-x/AMD-V, EPT/NPT, THP, KSM, hugepages, NUMA, vhost-net, IO schedulers");
        foreach (var option in new Option[] { hostRoot, stateDir, json, flavors })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var root = HostOptions.OpenRoot(r.GetValue(hostRoot)!);
            FlavorDemand demand;
            try
            {
                demand = await FlavorDemandReader.ReadAsync(r.GetValue(flavors) ?? [], ct);
            }
            catch (Exception e) when (e is IOException or FormatException or YamlDotNet.Core.YamlException)
            {
                throw new UsageException($"--flavors: {e.Message}");
            }
            var facts = await new HostFactsReader(root).ReadAsync(ct);
            var findings = HostAuditor.Audit(facts, demand);
            var interrupted = await InterruptedApplyAsync(r.GetValue(stateDir)!, ct);
            var document = new AuditDocument(root.Root, findings, findings.Count(f => f.Severity == FindingSeverity.Error), interrupted);
            await HostTable.WriteAsync(r.GetValue(json), document, () => Table(document));
            return HostAuditor.HasErrors(findings) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The profile of an apply that did not finish, when the store records one (never creates the store).</summary>
    internal static async Task<string?> InterruptedApplyAsync(string stateDir, CancellationToken ct)
    {
        if (!HostStateStore.ExistsIn(stateDir))
        {
            return null;
        }
        await using var store = await HostStateStore.OpenAsync(stateDir, TimeProvider.System, ct);
        return await store.GetJournalAsync(ct) is { Completed: false } journal ? journal.Profile : null;
    }

    private static string Table(AuditDocument document)
    {
        var rows = document.Findings.Select(f => new[]
        {
            f.Item, f.Severity.ToString().ToLowerInvariant(), f.FitsFlavors switch { true => "yes", false => "no", null => "-" }, f.Value, f.Message,
        });
        var text = HostTable.Render(["ITEM", "SEVERITY", "FITS", "VALUE", "MESSAGE"], rows);
        text += $"{document.Findings.Count} findings, {document.Errors} error(s)" + Environment.NewLine;
        if (document.InterruptedApply is { } profile)
        {
            text += $"an apply of '{profile}' did not finish: run 'host apply --profile {profile}' to finish it or 'host rollback' to undo it" + Environment.NewLine;
        }
        return text;
    }
}
