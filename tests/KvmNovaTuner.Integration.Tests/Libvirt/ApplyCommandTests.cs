using System.Text.Json;
using KvmNovaTuner.Cli;
using KvmNovaTuner.Cli.Commands.Apply;
using KvmNovaTuner.Integration.Tests.HostProfile;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>The `apply` and `reconcile` verbs against the test driver.</summary>
public sealed class ApplyCommandTests
{
    private static readonly Dictionary<string, string> Flavor = new()
    {
        ["tuner:iothreads"] = "2",
        ["tuner:blkio_weight"] = "300",
        ["tuner:disk_cache"] = "none",
        ["tuner:disk_io"] = "native",
    };

    [Test]
    public async Task ApplyJson_AppliesLiveActionsAndPendsNextBootOnes_InTheContractShape()
    {
        using var host = TestDriverHost.Create(domains: 1, extraSpecs: Flavor);
        var file = CliHarness.WriteCreateEnd(Path.GetDirectoryName(host.Path)!, host.Uuids[0], "compute-1", Flavor);
        string[] args = ["apply", "--notification", file, "--host", "compute-1", "--libvirt-uri", host.Uri, "--json"];

        // Each run opens the host file afresh (the test driver keeps no state between connections), so idempotence
        // across runs is covered at the executor level (LibvirtApplyLifecycleTests) and against libvirtd.
        var first = await CliHarness.RunAsync(ApplyCommand.Create(), args);

        Assert.That(first.Exit, Is.EqualTo(ExitCodes.Success), first.Out + first.Err);
        using var doc = JsonDocument.Parse(first.Out);
        Assert.That(doc.RootElement.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "instance_uuid", "results" }));
        Assert.That(doc.RootElement.GetProperty("instance_uuid").GetString(), Is.EqualTo(host.Uuids[0]));
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results[0].EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "kind", "target", "status", "before", "after", "message" }));
        var statuses = results.ToDictionary(r => (r.GetProperty("kind").GetString()!, r.GetProperty("target").GetString()!), r => r.GetProperty("status").GetString());
        Assert.That(statuses[("iothread_add", $"domain/{host.Uuids[0]}/iothread/2")], Is.EqualTo("applied"));
        Assert.That(statuses[("blkio", $"domain/{host.Uuids[0]}")], Is.EqualTo("applied"));
        Assert.That(statuses[("disk_driver", $"domain/{host.Uuids[0]}/disk/vda")], Is.EqualTo("pending-restart"));
        Assert.That(first.Err, Does.Not.Contain("error:"));
    }

    private static readonly Dictionary<string, string> InvalidFlavor = new() { ["tuner:iothreads"] = "abc", ["tuner:blkio_weight"] = "800" };

    [Test]
    public async Task Apply_InvalidFlavor_IsRefusedWhole_TheValidBlkioWeightIsNotApplied_ExitOne()
    {
        using var host = TestDriverHost.Create(domains: 1, extraSpecs: InvalidFlavor);
        var file = CliHarness.WriteCreateEnd(Path.GetDirectoryName(host.Path)!, host.Uuids[0], "compute-1", InvalidFlavor);
        // The test driver keeps no state between connections: what the verb did is read from its report (no action ran).
        var run = await CliHarness.RunAsync(ApplyCommand.Create(), "apply", "--notification", file, "--host", "compute-1", "--libvirt-uri", host.Uri, "--json");

        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Failure), run.Out + run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        Assert.That(doc.RootElement.GetProperty("results").GetArrayLength(), Is.Zero, run.Out);
        Assert.That(doc.RootElement.GetProperty("refused").GetString(), Does.Contain("tuner:iothreads"));
        Assert.That(run.Err, Does.Contain("error: tuner:iothreads"));
    }

    [Test]
    public async Task Reconcile_InvalidFlavor_IsRefusedWhole_TheValidBlkioWeightIsNotApplied_ExitOne()
    {
        using var host = TestDriverHost.Create(domains: 2, extraSpecs: InvalidFlavor);

        var run = await CliHarness.RunAsync(ReconcileCommand.Create(), "reconcile", "--host", "compute-1", "--libvirt-uri", host.Uri, "--json", "--no-progress");

        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Failure), run.Out + run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        var domains = doc.RootElement.GetProperty("domains").EnumerateArray().ToList();
        Assert.That(domains.Select(d => d.GetProperty("result").GetProperty("results").GetArrayLength()), Is.All.Zero, run.Out);
        Assert.That(domains.Select(d => d.GetProperty("result").GetProperty("refused").GetString()), Is.All.Contains("tuner:iothreads"));
    }

    [Test]
    public async Task ReconcileDryRun_SummaryCountsTheDomainsItListsAsWouldChange()
    {
        using var host = TestDriverHost.Create(domains: 3, extraSpecs: Flavor);

        var run = await CliHarness.RunAsync(ReconcileCommand.Create(), "reconcile", "--host", "compute-1", "--libvirt-uri", host.Uri, "--dry-run");

        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Success), run.Out + run.Err);
        var listed = host.Uuids.Count(u => run.Out.Split('\n').Any(l => l.Contains("dry run: would", StringComparison.Ordinal) && l.Contains(u, StringComparison.Ordinal)));
        Assert.That(listed, Is.EqualTo(3), run.Out);
        Assert.That(run.Err, Does.Contain("reconcile: 3/3 domains, 3 would change, 0 failed"), run.Err);
    }

    [Test]
    public async Task ReconcileDryRun_InvalidFlavor_EveryDiagnosticNamesItsInstance_ExitOne()
    {
        using var host = TestDriverHost.Create(domains: 2, extraSpecs: InvalidFlavor);

        var text = await CliHarness.RunAsync(ReconcileCommand.Create(), "reconcile", "--host", "compute-1", "--libvirt-uri", host.Uri, "--dry-run", "--no-progress");
        var json = await CliHarness.RunAsync(ReconcileCommand.Create(), "reconcile", "--host", "compute-1", "--libvirt-uri", host.Uri, "--dry-run", "--no-progress", "--json");

        Assert.That(text.Exit, Is.EqualTo(ExitCodes.Failure), text.Out + text.Err);
        var diagnostics = text.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(diagnostics, Is.Not.Empty);
        Assert.That(diagnostics, Has.All.Matches<string>(l => host.Uuids.Any(u => l.StartsWith(u + ": ", StringComparison.Ordinal))), text.Err);
        Assert.That(json.Exit, Is.EqualTo(ExitCodes.Failure));
        using var doc = JsonDocument.Parse(json.Out);
        var errors = doc.RootElement.GetProperty("domains").EnumerateArray()
            .SelectMany(d => d.GetProperty("diagnostics").EnumerateArray().Select(x => (Domain: d.GetProperty("instance_uuid").GetString(), Diagnostic: x)))
            .Where(x => x.Diagnostic.GetProperty("severity").GetString() == "error").ToList();
        Assert.That(errors.Select(e => e.Diagnostic.GetProperty("instance_uuid").GetString()), Is.EquivalentTo(host.Uuids));
        Assert.That(errors.Select(e => e.Diagnostic.GetProperty("key").GetString()), Is.All.EqualTo("tuner:iothreads"));
    }

    [Test]
    public async Task ApplyDryRun_ReportsWithoutChanging()
    {
        using var host = TestDriverHost.Create(domains: 1, extraSpecs: Flavor);
        var file = CliHarness.WriteCreateEnd(Path.GetDirectoryName(host.Path)!, host.Uuids[0], "compute-1", Flavor);

        var run = await CliHarness.RunAsync(ApplyCommand.Create(), "apply", "--notification", file, "--host", "compute-1", "--libvirt-uri", host.Uri, "--dry-run", "--json");

        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Success), run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.That(results, Is.Not.Empty);
        Assert.That(results.Select(r => r.GetProperty("status").GetString()), Is.All.EqualTo("skipped"));
        Assert.That(results.Select(r => r.GetProperty("message").GetString()), Is.All.StartWith("dry run"));
    }

    [Test]
    public async Task Apply_UnreachableLibvirt_ExitsTwoWithOneLine()
    {
        using var host = TestDriverHost.Create(domains: 1);
        var file = CliHarness.WriteCreateEnd(Path.GetDirectoryName(host.Path)!, host.Uuids[0], "compute-1", Flavor);

        var run = await CliHarness.RunAsync(ApplyCommand.Create(), "apply", "--notification", file, "--host", "compute-1", "--libvirt-uri", "test:///no/such/host.xml");

        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Err.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(run.Err, Does.StartWith("error: --libvirt-uri test:///no/such/host.xml"));
    }

    [Test]
    public async Task Apply_BadNotification_ExitsTwoNamingTheProblem()
    {
        using var host = TestDriverHost.Create(domains: 1);
        var file = Path.Combine(Path.GetDirectoryName(host.Path)!, "bad.json");
        await File.WriteAllTextAsync(file, "{\"not\": \"a notification\"}");

        var run = await CliHarness.RunAsync(ApplyCommand.Create(), "apply", "--notification", file, "--host", "h", "--libvirt-uri", host.Uri);

        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Err, Does.StartWith("error: --notification: bad.json"));
    }

    [Test]
    public async Task ReconcileJson_AppliesEveryDomainFromItsMetadata()
    {
        using var host = TestDriverHost.Create(domains: 3, extraSpecs: Flavor);

        var run = await CliHarness.RunAsync(ReconcileCommand.Create(), "reconcile", "--host", "compute-1", "--libvirt-uri", host.Uri, "--json");

        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Success), run.Out + run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        var domains = doc.RootElement.GetProperty("domains").EnumerateArray().ToList();
        Assert.That(domains.Select(d => d.GetProperty("instance_uuid").GetString()), Is.EquivalentTo(host.Uuids));
        Assert.That(domains.Select(d => d.GetProperty("result").GetProperty("results").EnumerateArray().Count(r => r.GetProperty("status").GetString() == "applied")),
            Is.All.GreaterThan(0));
    }

    [Test]
    public async Task Apply_CreateStartWithHugepages_GrowsThePoolUnderTheHostRoot()
    {
        var flavor = new Dictionary<string, string> { ["hw:mem_page_size"] = "2MB", ["hw:numa_nodes"] = "1" };
        using var host = TestDriverHost.Create(domains: 1, extraSpecs: flavor);
        using var tree = FakeHostTree.Create();
        var file = CliHarness.WriteCreateEnd(Path.GetDirectoryName(host.Path)!, host.Uuids[0], "compute-1", flavor, "instance.create.start");

        var run = await CliHarness.RunAsync(ApplyCommand.Create(), "apply", "--notification", file, "--host", "compute-1", "--libvirt-uri", host.Uri, "--host-root", tree.Path, "--json");

        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Success), run.Out + run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        var pool = doc.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("kind").GetString() == "hugepage_pool");
        Assert.That(pool.GetProperty("status").GetString(), Is.EqualTo("applied"), run.Out);
        var nr = File.ReadAllText(Path.Combine(tree.Path, "sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages")).Trim();
        Assert.That(nr, Is.EqualTo(pool.GetProperty("after").GetProperty("nr_hugepages").GetString()));
        Assert.That(int.Parse(nr, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(256), "Nova's sample flavor (512 MiB) in 2 MiB pages");
    }
}
