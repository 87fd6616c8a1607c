using System.CommandLine;
using System.Text.Json;
using KvmNovaTuner.Cli;
using KvmNovaTuner.Cli.Commands.Host;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

/// <summary>The `host` verbs end to end on a generated tree: exit codes and JSON shapes.</summary>
[NonParallelizable]
public sealed class HostCliTests
{
    private FakeHostTree _tree = null!;

    [SetUp]
    public void CreateTree() => _tree = FakeHostTree.Create();

    [TearDown]
    public void DeleteTree() => _tree.Dispose();

    private async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var exit = await CliRunner.RunAsync(new RootCommand { HostCommand.Create() }, args);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    private string[] Where(params string[] args) => [.. args, "--host-root", _tree.Path, "--state-dir", _tree.StateDir];

    [Test]
    public async Task ApplyVerifyRollback_ExitCodesFollowTheHostState()
    {
        var apply = await RunAsync(Where("host", "apply", "--profile", "virtual-host-latency", "--json"));
        Assert.That(apply.Exit, Is.EqualTo(0), apply.Out + apply.Err);
        using (var json = JsonDocument.Parse(apply.Out))
        {
            Assert.That(json.RootElement.GetProperty("profile").GetString(), Is.EqualTo("virtual-host-latency"));
            var statuses = json.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList();
            Assert.That(statuses, Does.Contain("applied").And.Not.Contain("failed"));
        }

        var verify = await RunAsync(Where("host", "verify"));
        Assert.That(verify.Exit, Is.EqualTo(0), verify.Out);
        Assert.That(verify.Out, Does.Contain("virtual-host-latency").And.Contain("0 failed"));

        var rollback = await RunAsync(Where("host", "rollback"));
        Assert.That(rollback.Exit, Is.EqualTo(0), rollback.Out);

        var afterRollback = await RunAsync(Where("host", "verify", "--profile", "virtual-host-latency", "--json"));
        Assert.That(afterRollback.Exit, Is.EqualTo(1));
        using var verifyJson = JsonDocument.Parse(afterRollback.Out);
        Assert.That(verifyJson.RootElement.GetProperty("failed").GetInt32(), Is.GreaterThan(0));
    }

    [Test]
    public async Task ApplyLatencyProfile_PoolOf4096PagesAllInUse_IsNotLoweredTo512AndTheOutputSaysWhy()
    {
        _tree.SetPool(0, 2048, 4096, 0);

        var apply = await RunAsync(Where("host", "apply", "--profile", "virtual-host-latency", "--libvirt-uri", "none"));

        Assert.Multiple(() =>
        {
            Assert.That(_tree.Read("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages"), Is.EqualTo("4096"));
            Assert.That(_tree.Read("/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages"), Is.EqualTo("512"));
            Assert.That(apply.Out, Does.Contain("kept: hugepages.node0.2048kB: kept 4096 pages, not the profile's 512: 4096 pages in use"));
            Assert.That(apply.Exit, Is.Zero, apply.Out + apply.Err);
        });
    }

    [Test]
    public async Task ApplyDryRun_PrintsATableAndWritesNothing()
    {
        var before = _tree.Snapshot();
        var result = await RunAsync(Where("host", "apply", "--profile", "virtual-host-dense", "--dry-run"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Exit, Is.EqualTo(0));
            Assert.That(result.Out, Does.Contain("ksm.run").And.Contain("would-change"));
            Assert.That(_tree.Snapshot(), Is.EqualTo(before));
            Assert.That(Directory.Exists(_tree.StateDir), Is.False);
        });
    }

    [Test]
    public async Task Audit_HealthyTree_ExitsZeroWithJsonFindings()
    {
        var result = await RunAsync(Where("host", "audit", "--json"));
        Assert.That(result.Exit, Is.EqualTo(0), result.Out);
        using var json = JsonDocument.Parse(result.Out);
        var findings = json.RootElement.GetProperty("findings").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("errors").GetInt32(), Is.Zero);
            Assert.That(findings.Select(f => f.GetProperty("item").GetString()), Does.Contain("virt.hardware"));
            Assert.That(findings.Select(f => f.GetProperty("severity").GetString()), Has.All.AnyOf("ok", "info", "warning"));
        });
    }

    [Test]
    public async Task Audit_NoVirtualisation_ExitsOne()
    {
        File.Delete(_tree.Root.Resolve("/dev/kvm"));
        _tree.Write("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu sse2\n");
        var result = await RunAsync(Where("host", "audit"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Exit, Is.EqualTo(1));
            Assert.That(result.Out, Does.Contain("virt.hardware").And.Contain("error"));
        });
    }

    [Test]
    public async Task Audit_AfterACrashedApply_SaysHowToRecover()
    {
        await using (var store = await KvmNovaTuner.HostTuning.State.HostStateStore.OpenAsync(_tree.StateDir, TimeProvider.System))
        {
            await store.BeginApplyAsync("virtual-host-latency");
        }
        var result = await RunAsync(Where("host", "audit"));
        Assert.That(result.Out, Does.Contain("apply of 'virtual-host-latency' did not finish"));
    }

    [TestCase("host apply --profile nope", "unknown profile 'nope'")]
    [TestCase("host verify", "no profile has been applied here")]
    public async Task BadUsage_IsOneLineOnStderrAndExitTwo(string command, string message)
    {
        var result = await RunAsync(Where(command.Split(' ')));
        Assert.Multiple(() =>
        {
            Assert.That(result.Exit, Is.EqualTo(2));
            Assert.That(result.Err.Trim(), Does.StartWith("error: ").And.Contain(message));
            Assert.That(result.Err.Trim().Split('\n'), Has.Length.EqualTo(1));
        });
    }

    [Test]
    public async Task MissingHostRoot_IsAUsageError()
    {
        var result = await RunAsync("host", "audit", "--host-root", Path.Join(_tree.Path, "missing"));
        Assert.That(result.Exit, Is.EqualTo(2));
    }

    [Test]
    public async Task Rollback_NothingSaved_ExitsZeroAndCreatesNoStore()
    {
        var result = await RunAsync(Where("host", "rollback"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Exit, Is.EqualTo(0));
            Assert.That(result.Out, Does.Contain("nothing to roll back"));
            Assert.That(Directory.Exists(_tree.StateDir), Is.False);
        });
    }

    [Test]
    public async Task Audit_WithFlavors_JudgesFitAndFailsOnAnUnplaceableFlavor()
    {
        var flavors = Path.Join(_tree.Path, "..", Path.GetFileName(_tree.Path) + "-flavors.yaml");
        await File.WriteAllTextAsync(flavors, "flavors:\n  - name: big.numa\n    extra_specs:\n      hw:numa_nodes: \"4\"\n      hw:cpu_policy: dedicated\n");
        try
        {
            var result = await RunAsync(Where("host", "audit", "--json", "--flavors", flavors));
            using var json = JsonDocument.Parse(result.Out);
            var byItem = json.RootElement.GetProperty("findings").EnumerateArray().ToDictionary(f => f.GetProperty("item").GetString()!, f => f.Clone());
            Assert.Multiple(() =>
            {
                Assert.That(result.Exit, Is.EqualTo(1));
                Assert.That(byItem["numa.nodes"].GetProperty("severity").GetString(), Is.EqualTo("error"));
                Assert.That(byItem["numa.balancing"].GetProperty("fits_flavors").GetBoolean(), Is.False, "balancing is on in the tree");
            });
        }
        finally
        {
            File.Delete(flavors);
        }
    }
}
