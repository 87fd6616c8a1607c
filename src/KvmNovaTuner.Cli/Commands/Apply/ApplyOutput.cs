using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Cli.Commands.Apply;

/// <summary>Prints an apply result: the public JSON shape, or one line per action; plan diagnostics go to stderr.</summary>
internal static class ApplyOutput
{
    public static async Task WriteAsync(Plan? plan, ApplyResult result, bool json, bool nameInstance = false)
    {
        // Among many instances (reconcile) each diagnostic line names the instance it is about.
        var instance = nameInstance ? $"{result.InstanceUuid ?? "-"}: " : "";
        foreach (var d in plan?.Diagnostics ?? [])
        {
            await Console.Error.WriteLineAsync($"{instance}{d.Severity.ToString().ToLowerInvariant()}: {d.Key}: {d.Message}");
        }
        if (json)
        {
            Console.Out.WriteLine(ApplyResultJson.Serialize(result));
            return;
        }
        if (result.Refusal is { } refusal)
        {
            Console.Out.WriteLine($"{result.InstanceUuid ?? "-"}: nothing applied, the whole plan is {refusal}");
        }
        else if (result.Results.Count == 0)
        {
            Console.Out.WriteLine($"{result.InstanceUuid ?? "-"}: nothing to do");
        }
        foreach (var r in result.Results)
        {
            Console.Out.WriteLine($"{ApplyResultJson.StatusText(r.Status),-15} {r.Kind,-14} {r.Target}  {Values(r.Before)} -> {Values(r.After)}  {r.Message}");
        }
    }

    private static string Values(IReadOnlyDictionary<string, string>? values) =>
        values is null ? "-" : string.Join(",", values.Select(v => $"{v.Key}={v.Value}"));
}
