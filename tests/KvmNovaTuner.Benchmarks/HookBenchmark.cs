using System.Diagnostics;
using System.Globalization;
using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Benchmarks;

/// <summary>
/// How long libvirt waits for the qemu hook: the `kvm-nova-tuner hook` process (a `dotnet` start) with the agent
/// listening, with no agent (spool), and for a refused `prepare`, next to a bare `dotnet kvm-nova-tuner.dll --version`
/// start and to the hand-over alone measured in-process.
/// </summary>
public sealed class HookBenchmark : IBenchmark
{
    private const string Xml = """
        <domain type='kvm' id='5'><name>instance-0000000b</name><uuid>6c0e3d5f-7081-4b92-8c3d-4e5f60718293</uuid>
        <metadata><nova:instance xmlns:nova='http://openstack.org/xmlns/libvirt/nova/1.1'><nova:flavor name='tuned' id='3'>
        <nova:memory>1024</nova:memory><nova:vcpus>2</nova:vcpus><nova:extraSpecs>
        <nova:extraSpec name='hw:mem_page_size'>1GB</nova:extraSpec><nova:extraSpec name='tuner:require'>true</nova:extraSpec>
        </nova:extraSpecs></nova:flavor></nova:instance></metadata>
        <memory unit='KiB'>1048576</memory><memoryBacking><hugepages><page size='1048576' unit='KiB'/></hugepages></memoryBacking>
        <vcpu>2</vcpu><devices/></domain>
        """;

    public string Name => "hook";
    public string Description => "libvirt qemu hook latency: process with/without agent, refused prepare, vs dotnet start";

    public async Task<int> RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var dir = Directory.CreateTempSubdirectory("knt-hookbench-").FullName;
        var socket = Path.Combine(dir, "agent.sock");
        var spool = Path.Combine(dir, "spool");
        var dll = Path.Combine(AppContext.BaseDirectory, "kvm-nova-tuner.dll");
        string[] Hook(string op) => [dll, "hook", "instance-0000000b", op, "begin", "-", "--socket", socket, "--spool-dir", spool];
        try
        {
            Console.WriteLine($"hook benchmark: {runs} runs per case, {Environment.ProcessorCount} CPUs, {dll}");
            var startup = await TimeProcessAsync([dll, "--version"], runs, null);
            var down = await TimeProcessAsync(Hook("started"), runs, Xml);
            var prepare = await TimeProcessAsync(Hook("prepare"), runs, Xml);
            var wrapper = await TimeProcessAsync("sh", [WrapperPath(), "instance-0000000b", "start", "begin", "-"], runs, Xml);
            var listener = new HookListenerService(new HookListenerOptions(socket, spool, Path.Combine(dir, "state"), "bench"), new NoOpHandler(), TimeProvider.System, NullLogger<HookListenerService>.Instance);
            await listener.StartAsync(CancellationToken.None);
            var up = await TimeProcessAsync(Hook("started"), runs, Xml);
            var inProcess = await TimeInProcessAsync(new HookRunner(new HookRunnerOptions(socket, spool, HookRunnerOptions.DefaultBudget), TimeProvider.System), runs * 10);
            await listener.StopAsync(CancellationToken.None);
            listener.Dispose();

            Print("dotnet kvm-nova-tuner.dll --version", startup, startup);
            Print("hook started, agent listening", up, startup);
            Print("hook started, no agent (spooled)", down, startup);
            Print("hook prepare, tuner:require refused", prepare, startup);
            Print("hand-over only (in-process, agent up)", inProcess, startup);
            Print("shipped wrapper, ignored op (no .NET)", wrapper, startup);
            return 0;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Task<List<double>> TimeProcessAsync(string[] args, int runs, string? stdin) => TimeProcessAsync("dotnet", args, runs, stdin);

    /// <summary>deploy/libvirt-hooks/qemu of the checkout the benchmark was built from.</summary>
    private static string WrapperPath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KvmNovaTuner.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("KvmNovaTuner.sln not found"), "deploy", "libvirt-hooks", "qemu");
    }

    private static async Task<List<double>> TimeProcessAsync(string program, string[] args, int runs, string? stdin)
    {
        var times = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            var info = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var a in args) info.ArgumentList.Add(a);
            var clock = Stopwatch.StartNew();
            using var p = Process.Start(info)!;
            await p.StandardInput.WriteAsync(stdin ?? "");
            p.StandardInput.Close();
            var drain = Task.WhenAll(p.StandardOutput.ReadToEndAsync(), p.StandardError.ReadToEndAsync());
            await p.WaitForExitAsync();
            await drain;
            if (i > 0) times.Add(clock.Elapsed.TotalMilliseconds); // the first run warms the disk cache
        }
        return times;
    }

    private static async Task<List<double>> TimeInProcessAsync(HookRunner runner, int runs)
    {
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var xml = Xml.Replace("id='5'", $"id='{100 + i}'", StringComparison.Ordinal);
            var clock = Stopwatch.StartNew();
            await runner.RunAsync(new HookInvocation("instance-0000000b", "started", "begin", "-"), xml);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    private static void Print(string label, List<double> ms, List<double> baseline)
    {
        var sorted = ms.Order().ToList();
        var median = sorted[sorted.Count / 2];
        var p90 = sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(sorted.Count * 0.9) - 1)];
        var ratio = median / baseline.Order().ElementAt(baseline.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-40} median {median,8:0.0} ms  p90 {p90,8:0.0} ms  max {sorted[^1],8:0.0} ms  ({ratio:0.00}x dotnet start, n={ms.Count})"));
    }

    private sealed class NoOpHandler : IInstanceEventHandler
    {
        public Task<EventOutcome> HandleAsync(InstanceEvent instanceEvent, CancellationToken cancellationToken = default) =>
            Task.FromResult(new EventOutcome("applied", "benchmark"));
    }
}
