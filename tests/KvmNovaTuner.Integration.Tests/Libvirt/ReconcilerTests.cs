using System.Diagnostics;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Progress;
using KvmNovaTuner.Core.Topology;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Execution;
using KvmNovaTuner.Libvirt.Reconciliation;
using KvmNovaTuner.Libvirt.Xml;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>The reconcile pass against the test driver: specs from Nova metadata, only the difference applied.</summary>
public sealed class ReconcilerTests
{
    private static readonly Dictionary<string, string> TunedFlavor = new()
    {
        ["tuner:iothreads"] = "2",
        ["tuner:emulator_placement"] = "housekeeping",
        ["tuner:blkio_weight"] = "600",
        ["quota:disk_total_iops_sec"] = "500",
        ["tuner:disk_total_iops_sec_max"] = "1000",
        ["tuner:ksm"] = "off",
    };

    private static (Reconciler Reconciler, HostTopology Topology) Create(LibvirtConnection connection)
    {
        var dispatcher = new ActionDispatcher([new LibvirtActionExecutor(connection)]);
        var topology = LibvirtTopologyReader.Read(connection, housekeeping: new HashSet<int> { 0, 1 });
        return (new Reconciler(connection, dispatcher, "compute-1"), topology);
    }

    private static IEnumerable<ActionResult> All(ReconcileReport report) => report.Domains.SelectMany(d => d.Result.Results);

    [Test]
    public async Task Reconcile_AppliesTheFlavorFromDomainMetadata_ThenFindsNothingToDo()
    {
        using var host = TestDriverHost.Create(domains: 3, extraSpecs: TunedFlavor);
        using var connection = host.Connect();
        var (reconciler, topology) = Create(connection);

        var first = await reconciler.ReconcileAsync(topology, dryRun: false);
        var second = await reconciler.ReconcileAsync(topology, dryRun: false);

        Assert.That(All(first).Where(r => r.Status == ActionStatus.Failed).Select(r => $"{r.Kind} {r.Target}: {r.Message}"), Is.Empty);
        Assert.That(first.Domains.Select(d => d.Result.Results.Count(r => r.Status == ActionStatus.Applied)), Is.All.GreaterThan(0));
        Assert.That(All(second).Select(r => $"{r.Kind} {r.Target}: {r.Status}"), Has.None.EndsWith(": Applied").And.None.EndsWith(": Failed"));
        using var domain = connection.LookupByUuid(host.Uuids[0])!;
        var state = DomainReader.Read(domain.GetXml(), active: true);
        Assert.That(state.IoThreadIds, Is.EquivalentTo(new[] { 1, 2 }));
        Assert.That(state.EmulatorPin, Is.EqualTo("0-1"));
        Assert.That(state.BlkioWeight, Is.EqualTo("600"));
    }

    [Test]
    public async Task Progress_ReportedAfterEachDomain_CountsChangedThenNothingChanged()
    {
        using var host = TestDriverHost.Create(domains: 3, extraSpecs: TunedFlavor);
        using var connection = host.Connect();
        var (reconciler, topology) = Create(connection);
        var first = new List<WorkProgress>();
        var second = new List<WorkProgress>();

        var report = await reconciler.ReconcileAsync(topology, dryRun: false, new Recorder(first));
        await reconciler.ReconcileAsync(topology, dryRun: false, new Recorder(second));

        var total = report.Domains.Count;
        Assert.That(first.Select(p => p.Done), Is.EqualTo(Enumerable.Range(1, total)));
        Assert.That(first[^1], Is.EqualTo(new WorkProgress(total, total, 3, 0)), "the three tuned domains changed");
        Assert.That(second[^1], Is.EqualTo(new WorkProgress(total, total, 0, 0)), "nothing left to change");
    }

    /// <summary>Records reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class Recorder(List<WorkProgress> reports) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => reports.Add(value);
    }

    [Test]
    public async Task Reconcile_AfterNovaRegeneratesOneDomain_ReappliesOnlyThatDomain()
    {
        using var host = TestDriverHost.Create(domains: 2, extraSpecs: TunedFlavor);
        using var connection = host.Connect();
        var (reconciler, topology) = Create(connection);
        await reconciler.ReconcileAsync(topology, dryRun: false);

        // A hard reboot in Nova: the domain is destroyed, its XML regenerated from the flavor, and started again.
        var regenerated = host.Uuids[1];
        using (var domain = connection.LookupByUuid(regenerated)!)
        {
            domain.Destroy();
            using var redefined = connection.Define(TestDriverHost.DomainXml("instance-00000002", regenerated, TunedFlavor));
            redefined.Start();
        }
        var again = await reconciler.ReconcileAsync(topology, dryRun: false);

        var applied = again.Domains.Where(d => d.Result.Results.Any(r => r.Status == ActionStatus.Applied)).Select(d => d.Uuid);
        Assert.That(applied, Is.EqualTo(new[] { regenerated }));
        using var after = connection.LookupByUuid(regenerated)!;
        Assert.That(DomainReader.Read(after.GetXml(), active: true).EmulatorPin, Is.EqualTo("0-1"));
    }

    [Test]
    public async Task Reconcile_DomainWithoutNovaMetadata_IsLeftAlone()
    {
        using var host = TestDriverHost.Create(domains: 1, extraSpecs: TunedFlavor);
        using var connection = host.Connect();
        var (reconciler, topology) = Create(connection);
        var stranger = Guid.NewGuid().ToString();
        var xml = TestDriverHost.DomainXml("not-nova", stranger, TunedFlavor);
        var start = xml.IndexOf("<metadata>", StringComparison.Ordinal);
        var end = xml.IndexOf("</metadata>", StringComparison.Ordinal) + "</metadata>".Length;
        connection.Define(xml.Remove(start, end - start)).Dispose();

        var report = await reconciler.ReconcileAsync(topology, dryRun: false);

        var outcome = report.Domains.Single(d => d.Uuid == stranger);
        Assert.That(outcome.Plan, Is.Null);
        Assert.That(outcome.Note, Does.Contain("not a Nova instance"));
    }

    private static readonly Dictionary<string, string> LiveOnlyFlavor = new()
    {
        ["tuner:emulator_placement"] = "housekeeping",
        ["tuner:blkio_weight"] = "600",
        ["quota:disk_total_iops_sec"] = "500",
        ["tuner:disk_total_iops_sec_max"] = "1000",
    };

    [TestCase("live-only")]
    [TestCase("with-next-boot")]
    public async Task Reconcile_500Domains_TakesUnderTwoSeconds(string flavor)
    {
        var specs = flavor == "live-only" ? LiveOnlyFlavor : TunedFlavor;
        using var host = TestDriverHost.Create(domains: 500, extraSpecs: specs);
        using var connection = host.Connect();
        var (reconciler, topology) = Create(connection);

        var watch = Stopwatch.StartNew();
        var first = await reconciler.ReconcileAsync(topology, dryRun: false);
        var firstTime = watch.Elapsed;
        watch.Restart();
        var second = await reconciler.ReconcileAsync(topology, dryRun: false);
        var secondTime = watch.Elapsed;

        TestContext.Progress.WriteLine($"reconcile of 500 domains ({flavor}) on the test driver: first pass {firstTime.TotalMilliseconds:F0} ms, steady state {secondTime.TotalMilliseconds:F0} ms");
        Assert.That(first.Domains, Has.Count.EqualTo(500));
        Assert.That(first.AnyFailed || second.AnyFailed, Is.False);
        Assert.That(secondTime, Is.LessThan(TimeSpan.FromSeconds(2)));
    }
}
