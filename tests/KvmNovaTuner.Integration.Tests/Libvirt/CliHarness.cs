using System.CommandLine;
using System.Text.Json.Nodes;
using KvmNovaTuner.Cli;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>Runs CLI verbs in-process with captured output, and writes Nova notifications for the test-driver domains.</summary>
internal static class CliHarness
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(Command verb, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exit = await CliRunner.RunAsync(new RootCommand { verb }, args);
            return (exit, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }
    }

    /// <summary>
    /// Nova's own sample of <paramref name="eventType"/> (default instance.create.end) (tests/data/nova-notifications) re-addressed to <paramref name="uuid"/>
    /// on <paramref name="host"/> with <paramref name="extraSpecs"/>, written as one oslo envelope to a temp file.
    /// </summary>
    public static string WriteCreateEnd(string directory, string uuid, string host, IReadOnlyDictionary<string, string> extraSpecs, string eventType = "instance.create.end")
    {
        var sample = File.ReadLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "data", "nova-notifications", "all.jsonl"))
            .First(l => l.Contains($"\\\"event_type\\\": \\\"{eventType}\\\"", StringComparison.Ordinal));
        var envelope = JsonNode.Parse(sample)!.AsObject();
        var message = JsonNode.Parse(envelope["oslo.message"]!.GetValue<string>())!.AsObject();
        var data = message["payload"]!["nova_object.data"]!.AsObject();
        data["uuid"] = uuid;
        data["host"] = host;
        var specs = new JsonObject();
        foreach (var (key, value) in extraSpecs)
        {
            specs[key] = value;
        }
        data["flavor"]!["nova_object.data"]!["extra_specs"] = specs;
        envelope["oslo.message"] = message.ToJsonString();
        var path = Path.Combine(directory, $"create-end-{uuid[..8]}.json");
        File.WriteAllText(path, envelope.ToJsonString());
        return path;
    }
}
