using System.Diagnostics;
using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.State;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Benchmarks;

/// <summary>
/// Times the pure core per event, side by side: spec parsing, planning against an unknown domain, and re-planning
/// against the state a plan describes (the reconcile steady state), for a 2-node host and a tuned flavor.
/// </summary>
public sealed class PlannerBenchmark : IBenchmark
{
    private static readonly Dictionary<string, string> Specs = new()
    {
        ["hw:cpu_policy"] = "dedicated", ["hw:numa_nodes"] = "2", ["hw:mem_page_size"] = "2048", ["tuner:iothreads"] = "2",
        ["tuner:disk_cache"] = "none", ["tuner:disk_io"] = "native", ["quota:disk_total_iops_sec"] = "5000",
        ["tuner:disk_total_iops_sec_max"] = "10000", ["quota:cpu_shares"] = "2048", ["tuner:ksm"] = "off",
        ["quota:vif_inbound_average"] = "125000", ["quota:vif_outbound_average"] = "125000",
    };

    public string Name => "planner";

    public string Description => "spec parse, plan (unknown domain) and re-plan (described state) per event, side by side";

    public Task<int> RunAsync(string[] args)
    {
        var iterations = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 50_000;
        var topology = Host();
        var parsed = SpecParser.Parse(Specs, 8, 16384);
        var request = new PlanRequest
        {
            InstanceUuid = "c03c0bf9-f46e-4e4f-93f1-817568567ee2", EventType = "instance.create.end", EventHost = "compute", ThisHost = "compute",
            Spec = parsed.Spec, SpecDiagnostics = parsed.Diagnostics, PortNames = ["tap1", "tap2"],
        };
        var domain = new DomainState
        {
            Uuid = request.InstanceUuid, Name = "instance-1", Active = true, Vcpus = 8,
            VcpuPins = Enumerable.Range(0, 8).ToDictionary(v => v, v => (v % 4 + 1 + v / 4 * 8).ToString()),
            Disks = [new DiskState("vda", null, null, null, new Dictionary<string, string>()), new DiskState("vdb", null, null, null, new Dictionary<string, string>())],
        };
        var described = Describe(TuningPlanner.Create(request, topology, new ObservedState(domain, [])), domain);

        var parse = Time(iterations, () => SpecParser.Parse(Specs, 8, 16384).Diagnostics.Count);
        var planUnknown = Time(iterations, () => TuningPlanner.Create(request, topology, ObservedState.Unknown).Actions.Count);
        var replan = Time(iterations, () => TuningPlanner.Create(request, topology, described).Actions.Count);
        var empty = TuningPlanner.Create(request, topology, described).Actions.Count;

        Console.WriteLine($"iterations: {iterations}");
        Console.WriteLine($"spec parse:               {parse,8:F2} µs/event  {1e6 / parse,10:N0} events/s");
        Console.WriteLine($"plan, unknown domain:     {planUnknown,8:F2} µs/event  {1e6 / planUnknown,10:N0} events/s  ({planUnknown / parse:F1}x parse)");
        Console.WriteLine($"re-plan, described state: {replan,8:F2} µs/event  {1e6 / replan,10:N0} events/s  ({replan / planUnknown:F2}x plan), actions left: {empty}");
        Console.WriteLine($"500 domains re-planned:   {replan * 500 / 1000:F2} ms");
        return Task.FromResult(empty == 0 ? 0 : 1);
    }

    private static double Time(int iterations, Func<int> work)
    {
        for (var i = 0; i < 1000; i++)
        {
            work();
        }
        var sink = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            sink += work();
        }
        watch.Stop();
        GC.KeepAlive(sink);
        return watch.Elapsed.TotalMicroseconds / iterations;
    }

    private static HostTopology Host()
    {
        var cells = Enumerable.Range(0, 2).Select(n =>
        {
            var cpus = Enumerable.Range(n * 8, 8).ToList();
            return new NumaCell(n, cpus, cpus.ToDictionary(c => c, c => (IReadOnlyList<int>)[c]), 64L * 1024 * 1024, [new HugepagePool(2048, 8192, 8192)]);
        }).ToList();
        return new HostTopology(cells, new HashSet<int> { 0, 8 });
    }

    /// <summary>The observed state after a faithful apply of the plan (what the executors would leave).</summary>
    private static ObservedState Describe(Core.Plans.Plan plan, DomainState domain)
    {
        string S(string kind, string name) => plan.Actions.First(a => a.Kind == kind).Settings[name];
        var iothreads = plan.Actions.Where(a => a.Kind == "iothread_pin").ToDictionary(a => int.Parse(a.Settings["iothread_id"]), a => a.Settings["cpuset"]);
        var described = domain with
        {
            EmulatorPin = S("emulator_pin", "cpuset"),
            IoThreadIds = [.. iothreads.Keys],
            IoThreadPins = iothreads,
            Scheduler = new Dictionary<string, string> { ["cpu_shares"] = S("scheduler", "cpu_shares") },
            NumaMode = "strict",
            NoSharePages = true,
            Disks = [.. domain.Disks.Select((d, i) => d with
            {
                Cache = "none", Io = "native", IoThread = i % 2 + 1,
                IoTune = plan.Actions.First(a => a.Kind == "block_iotune" && a.Target.EndsWith(d.TargetDev)).Settings,
            })],
        };
        var ports = new[] { "tap1", "tap2" }.Select(t => new OvsPortState
        {
            Name = t, IngressPolicingRate = long.Parse(S("ovs_policing", "ingress_policing_rate")), IngressPolicingBurst = 0,
            QosType = "linux-htb", QosSettings = plan.Actions.First(a => a.Kind == "ovs_qos").Settings.Where(s => s.Key != "type").ToDictionary(),
        });
        return new ObservedState(described, [.. ports]);
    }
}
