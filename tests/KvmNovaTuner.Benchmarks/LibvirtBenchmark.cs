using System.Diagnostics;
using System.Globalization;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Execution;
using KvmNovaTuner.Libvirt.Native;
using KvmNovaTuner.Libvirt.Reconciliation;

namespace KvmNovaTuner.Benchmarks;

/// <summary>
/// The tuner's libvirt binding against `virsh` (one process per call, as shell-script tuning does) on the same
/// operations and the same URI, side by side with their ratio; then the 500-domain reconcile time.
/// Usage: libvirt [--uri URI] [--calls N] [--virsh-calls N] [--domains N]. Without --uri a generated test-driver host is used;
/// with --uri the first domain there is tuned (it must be running); --domains 0 skips the reconcile timing.
/// </summary>
public sealed class LibvirtBenchmark : IBenchmark
{
    public string Name => "libvirt";
    public string Description => "libvirt binding vs virsh per call (ratio), and the 500-domain reconcile time";

    public async Task<int> RunAsync(string[] args)
    {
        if (!LibvirtRuntime.IsAvailable(out var reason))
        {
            Console.Error.WriteLine($"libvirt benchmark skipped: {reason}");
            return 2;
        }
        var calls = Arg(args, "--calls", 1000);
        var virshCalls = Arg(args, "--virsh-calls", 30);
        var domainCount = Arg(args, "--domains", 500);
        using var host = BenchmarkHost.Create(domains: 1, domainCount: Math.Max(domainCount, 1));
        var uri = ArgText(args, "--uri") ?? host.SmallUri;
        using var connection = LibvirtConnection.Open(uri);
        using var domain = connection.ListAllDomains().First();
        var name = domain.Name;
        Console.WriteLine($"libvirt {connection.LibraryVersion / 1_000_000}.{connection.LibraryVersion / 1000 % 1000}.{connection.LibraryVersion % 1000}, uri {uri}, domain {name}");
        Console.WriteLine($"{"operation",-34} {"binding/call",14} {"virsh/call",12} {"ratio",10}");

        var cpus = connection.HostCpuCount;
        var i = 0;
        Row("emulatorpin (set)", calls, () => domain.PinEmulator(CpuSet.Of([i++ % cpus]), DomainImpact.Current),
            virshCalls, uri, n => ["emulatorpin", name, (n % cpus).ToString(CultureInfo.InvariantCulture)]);
        Row("vcpupin (set)", calls, () => domain.PinVcpu(0, CpuSet.Of([i++ % cpus]), DomainImpact.Current),
            virshCalls, uri, n => ["vcpupin", name, "0", (n % cpus).ToString(CultureInfo.InvariantCulture)]);
        Row("dumpxml (live)", calls, () => domain.GetXml(), virshCalls, uri, _ => ["dumpxml", name]);
        Row("blkiotune (set weight)", calls, () => domain.SetBlkioParameters([new TypedParameterValue("weight", TypedParameterType.UInt, (100 + (i++ % 800)).ToString(CultureInfo.InvariantCulture))], DomainImpact.Current),
            virshCalls, uri, n => ["blkiotune", name, "--weight", (100 + (n % 800)).ToString(CultureInfo.InvariantCulture)]);
        Row("memtune (get)", calls, () => domain.GetMemoryParameters(), virshCalls, uri, _ => ["memtune", name]);

        var xml = domain.GetXml(inactive: true);
        var file = Path.Combine(Path.GetTempPath(), $"knt-bench-{Guid.NewGuid():N}.xml");
        File.WriteAllText(file, xml);
        try
        {
            Row("define --validate", Math.Max(calls / 50, 5), () => connection.Define(xml, validate: true).Dispose(), virshCalls, uri, _ => ["define", "--validate", file]);
            Row("define (no validation)", Math.Max(calls / 50, 5), () => connection.Define(xml, validate: false).Dispose(), virshCalls, uri, _ => ["define", file]);
        }
        finally
        {
            File.Delete(file);
        }

        if (domainCount > 0)
        {
            await ReconcileAsync(host.LargeUri, domainCount);
        }
        return 0;
    }

    private static void Row(string operation, int calls, Action binding, int virshCalls, string uri, Func<int, string[]> virshArgs)
    {
        try
        {
            binding();
        }
        catch (LibvirtException e)
        {
            Console.WriteLine($"{operation,-34} not available on this URI: {e.LibvirtMessage}");
            return;
        }
        var watch = Stopwatch.StartNew();
        for (var n = 0; n < calls; n++)
        {
            binding();
        }
        var perBinding = watch.Elapsed.TotalMilliseconds / calls;
        Virsh(uri, virshArgs(0));
        watch.Restart();
        for (var n = 0; n < virshCalls; n++)
        {
            Virsh(uri, virshArgs(n));
        }
        var perVirsh = watch.Elapsed.TotalMilliseconds / virshCalls;
        Console.WriteLine($"{operation,-34} {perBinding,11:F4} ms {perVirsh,9:F2} ms {perVirsh / perBinding,9:F0}x");
    }

    private static void Virsh(string uri, string[] args)
    {
        var start = new ProcessStartInfo("virsh", ["-q", "-c", uri, .. args]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"virsh {string.Join(' ', args)}: {error.Trim()}");
        }
    }

    private static async Task ReconcileAsync(string uri, int domains)
    {
        using var connection = LibvirtConnection.Open(uri);
        var dispatcher = new ActionDispatcher([new LibvirtActionExecutor(connection)]);
        var topology = LibvirtTopologyReader.Read(connection, new HashSet<int> { 0, 1 });
        var reconciler = new Reconciler(connection, dispatcher, "bench-host");
        foreach (var pass in new[] { "first pass (live changes + next-boot redefinitions)", "steady state (nothing to change)" })
        {
            var watch = Stopwatch.StartNew();
            var report = await reconciler.ReconcileAsync(topology, dryRun: false);
            var results = report.Domains.SelectMany(d => d.Result.Results).ToList();
            Console.WriteLine($"reconcile {domains} domains, {pass}: {watch.Elapsed.TotalMilliseconds:F0} ms " +
                $"({results.Count(r => r.Status == Core.Plans.ActionStatus.Applied)} applied, {results.Count(r => r.Status == Core.Plans.ActionStatus.PendingRestart)} pending-restart, " +
                $"{results.Count(r => r.Status == Core.Plans.ActionStatus.Unchanged)} unchanged, {results.Count(r => r.Status == Core.Plans.ActionStatus.Failed)} failed)");
        }
    }

    private static int Arg(string[] args, string name, int fallback) =>
        ArgText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? ArgText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
