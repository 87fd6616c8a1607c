using System.Text.Json;
using System.Text.Json.Nodes;
using KvmNovaTuner.Cli;
using KvmNovaTuner.Core.Tests.Flavors;
using KvmNovaTuner.Core.Tests.Topology;

namespace KvmNovaTuner.Core.Tests.Planning;

/// <summary>The `plan` verb over Nova's own notification samples, re-flavored, against a generated host tree.</summary>
[NonParallelizable]
public sealed class PlanCommandTests
{
    private FakeHostTree _host = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _host = FakeHostTree.Numa(nodes: 2, coresPerNode: 2, memoryKbPerNode: 8 * 1024 * 1024);
        _host.Write("/etc/nova/nova.conf", "[compute]\ncpu_dedicated_set = 1-3,5-7");
        Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "knt-plan-" + Guid.NewGuid().ToString("N")));
    }

    [TearDown]
    public void TearDown()
    {
        _host.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task Plan_CreateStartForAHugepageFlavor_PrintsAHugepagePoolActionAsJson()
    {
        var file = Sample("instance-create-start.json", 2, 2048, new() { ["hw:mem_page_size"] = "2MB", ["hw:cpu_policy"] = "dedicated" });
        var (exit, output) = await FlavorsValidateCommandTests.RunAsync("plan", "--notification", file, "--host", "compute", "--host-root", _host.Root, "--json");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), output);
        var plan = JsonNode.Parse(output)!;
        Assert.That(plan["event_type"]!.GetValue<string>(), Is.EqualTo("instance.create.start"));
        Assert.That(plan["host"]!.GetValue<string>(), Is.EqualTo("compute"));
        var action = plan["actions"]!.AsArray().Single()!;
        Assert.That(action["kind"]!.GetValue<string>(), Is.EqualTo("hugepage_pool"));
        Assert.That(action["target"]!.GetValue<string>(), Is.EqualTo("node/0/hugepages-2048kB"));
        Assert.That(action["settings"]!["nr_hugepages"]!.GetValue<string>(), Is.EqualTo("1024"));
        Assert.That(action["when"]!.GetValue<string>(), Is.EqualTo("host"));
    }

    [Test]
    public async Task Plan_CreateEndForADedicatedFlavor_PinsTheEmulatorOutsideNovasDedicatedSet()
    {
        var file = Sample("instance-create-end.json", 2, 2048, new() { ["hw:cpu_policy"] = "dedicated", ["tuner:ksm"] = "off" });
        var (exit, output) = await FlavorsValidateCommandTests.RunAsync("plan", "--notification", file, "--host", "compute", "--host-root", _host.Root, "--json");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), output);
        var actions = JsonNode.Parse(output)!["actions"]!.AsArray();
        var emulator = actions.Single(a => a!["kind"]!.GetValue<string>() == "emulator_pin")!;
        Assert.That(emulator["settings"]!["cpuset"]!.GetValue<string>(), Is.EqualTo("0,4"));
        Assert.That(actions.Any(a => a!["kind"]!.GetValue<string>() == "memory_backing" && a["when"]!.GetValue<string>() == "next-boot"), Is.True);
    }

    [Test]
    public async Task Plan_EventForAnotherHost_HasNoActionsAndAnInfo()
    {
        var file = Sample("instance-create-end.json", 2, 2048, new() { ["hw:cpu_policy"] = "dedicated" });
        var (exit, output) = await FlavorsValidateCommandTests.RunAsync("plan", "--notification", file, "--host", "elsewhere", "--host-root", _host.Root, "--json");
        Assert.That(exit, Is.EqualTo(ExitCodes.Success));
        var plan = JsonNode.Parse(output)!;
        Assert.That(plan["actions"]!.AsArray(), Is.Empty);
        Assert.That(plan["diagnostics"]!.AsArray().Select(d => d!["severity"]!.GetValue<string>()), Is.EqualTo(new[] { "info" }));
    }

    [Test]
    public async Task Plan_InvalidFlavor_ExitsOneAndNamesTheKey()
    {
        var file = Sample("instance-create-end.json", 2, 2048, new() { ["tuner:disk_io"] = "native" });
        var (exit, output) = await FlavorsValidateCommandTests.RunAsync("plan", "--notification", file, "--host", "compute", "--host-root", _host.Root);
        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        Assert.That(output, Does.Contain("error: tuner:disk_io:"));
    }

    [Test]
    public async Task Plan_NotANotification_IsAOneLineUsageError()
    {
        var file = Path.Combine(_dir, "junk.json");
        await File.WriteAllTextAsync(file, "{\"hello\": 1}");
        var (exit, output) = await FlavorsValidateCommandTests.RunAsync("plan", "--notification", file, "--host", "compute", "--host-root", _host.Root);
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
        Assert.That(output.Trim().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Plan_MissingHostRoot_IsAUsageError()
    {
        var file = Sample("instance-create-end.json", 1, 512, []);
        var (exit, output) = await FlavorsValidateCommandTests.RunAsync("plan", "--notification", file, "--host", "compute", "--host-root", Path.Combine(_dir, "none"));
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
        Assert.That(output, Does.Contain("--host-root"));
    }

    /// <summary>One of Nova's samples (the repository's wire copy) with its flavor replaced by a tuned one.</summary>
    private string Sample(string name, int vcpus, int memoryMb, Dictionary<string, string> extraSpecs)
    {
        var eventType = "instance." + name["instance-".Length..^".json".Length].Replace('-', '.');
        var message = File.ReadLines(Path.Combine(RepositoryFiles.Root, "tests/data/nova-notifications/all.jsonl"))
            .Select(line => JsonNode.Parse(JsonNode.Parse(line)!["oslo.message"]!.GetValue<string>())!)
            .First(m => m["event_type"]!.GetValue<string>() == eventType);
        var flavor = message["payload"]!["nova_object.data"]!["flavor"]!["nova_object.data"]!;
        flavor["vcpus"] = vcpus;
        flavor["memory_mb"] = memoryMb;
        flavor["extra_specs"] = JsonSerializer.SerializeToNode(extraSpecs);
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, message.ToJsonString());
        return path;
    }
}
