using System.Diagnostics;
using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Facts;
using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.Profiles;
using KvmNovaTuner.HostTuning.State;

namespace KvmNovaTuner.Benchmarks;

/// <summary>
/// Host profile costs side by side: the read-only audit of this machine vs a generated two-node tree, a full
/// apply + rollback cycle with the SQLite store, and the pure KSM decision vs the audit's I/O.
/// </summary>
public sealed class HostProfileBenchmark : IBenchmark
{
    public string Name => "host-profile";
    public string Description => "audit (real / and generated tree), apply+rollback with saved originals, KSM decisions";

    public async Task<int> RunAsync(string[] args)
    {
        var iterations = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 200;
        var tree = Directory.CreateTempSubdirectory("knt-bench-host-").FullName;
        try
        {
            Generate(tree);
            var fake = new HostRoot(tree);
            var realAudit = await TimeAsync(iterations, () => AuditAsync(HostRoot.Real));
            var fakeAudit = await TimeAsync(iterations, () => AuditAsync(fake));
            var catalog = await ProfileCatalog.LoadAsync([]);
            var plan = await ProfilePlanning.PlanAsync(fake, catalog, "virtual-host-latency");
            await using var store = await HostStateStore.OpenAsync(Path.Join(tree, "..", Path.GetFileName(tree) + "-state"), TimeProvider.System);
            var applier = new HostProfileApplier(fake, store);
            var cycles = Math.Max(iterations / 4, 10);
            var cycle = await TimeAsync(cycles, async () =>
            {
                await applier.ApplyAsync("virtual-host-latency", plan.Items.Items, dryRun: false);
                await applier.RollbackAsync();
            });
            var decisions = iterations * 1000;
            var policy = new KsmPolicy();
            var watch = Stopwatch.StartNew();
            long sink = 0;
            for (var i = 0; i < decisions; i++)
            {
                sink += KsmPolicyEngine.Decide(new KsmObservation(33_554_432, i % 8_000_000, 30_000_000, 0, 1, i % 1250), policy).PagesToScan;
            }
            var decisionUs = watch.Elapsed.TotalMicroseconds / decisions;

            Console.WriteLine($"host-profile benchmark ({iterations} audits each, {cycles} apply+rollback cycles of {plan.Items.Items.Count} items)");
            Console.WriteLine($"  audit of this machine (HostRoot /):        {realAudit:F3} ms");
            Console.WriteLine($"  audit of a generated 2-node tree:          {fakeAudit:F3} ms   (ratio real/fake {realAudit / fakeAudit:F2})");
            Console.WriteLine($"  apply + rollback (save, write, read back): {cycle:F3} ms   ({cycle / plan.Items.Items.Count:F3} ms per item)");
            Console.WriteLine($"  KSM decision (pure):                       {decisionUs:F3} us   (audit/decision {fakeAudit * 1000 / decisionUs:F0}x) [{sink % 10}]");
            return 0;
        }
        finally
        {
            Directory.Delete(tree, recursive: true);
            var state = Path.Join(Path.GetDirectoryName(tree), Path.GetFileName(tree) + "-state");
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }

    private static async Task AuditAsync(HostRoot root) =>
        HostAuditor.Audit(await new HostFactsReader(root).ReadAsync(), FlavorDemand.None);

    private static async Task<double> TimeAsync(int count, Func<Task> action)
    {
        await action(); // warm up
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            await action();
        }
        return watch.Elapsed.TotalMilliseconds / count;
    }

    private static void Generate(string tree)
    {
        var files = new Dictionary<string, string>
        {
            ["proc/cpuinfo"] = "processor\t: 0\nflags\t\t: fpu vmx ept\n",
            ["dev/kvm"] = "",
            ["sys/module/kvm_intel/parameters/ept"] = "Y",
            ["sys/kernel/mm/transparent_hugepage/enabled"] = "always [madvise] never",
            ["sys/kernel/mm/transparent_hugepage/defrag"] = "always defer defer+madvise [madvise] never",
            ["proc/sys/kernel/numa_balancing"] = "1",
            ["proc/sys/vm/swappiness"] = "60",
            ["proc/sys/vm/dirty_background_ratio"] = "10",
            ["sys/block/sda/queue/scheduler"] = "[mq-deadline] none bfq",
        };
        foreach (var knob in new[] { "run", "pages_to_scan", "sleep_millisecs", "pages_shared", "pages_sharing" })
        {
            files[$"sys/kernel/mm/ksm/{knob}"] = knob == "pages_to_scan" ? "100" : "0";
        }
        foreach (var node in new[] { 0, 1 })
        {
            files[$"sys/devices/system/node/node{node}/cpulist"] = node == 0 ? "0-3" : "4-7";
            files[$"sys/devices/system/node/node{node}/meminfo"] = $"Node {node} MemTotal: 16777216 kB\nNode {node} MemFree: 8000000 kB";
            foreach (var count in new[] { "nr_hugepages", "free_hugepages", "surplus_hugepages" })
            {
                files[$"sys/devices/system/node/node{node}/hugepages/hugepages-2048kB/{count}"] = "0";
            }
        }
        foreach (var (path, text) in files)
        {
            var full = Path.Join(tree, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text + "\n");
        }
    }
}
