using System.Diagnostics;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Protocol;
using KvmNovaTuner.Ovs.Qos;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Benchmarks;

/// <summary>
/// The same 200 port updates against the same ovsdb-server through the tuner's OVSDB client and through one
/// <c>ovs-vsctl --no-wait</c> process per update, side by side: (A) ingress policing on the Interface, as a bare
/// transact and through the QoS executor (read, ownership check, wait-guarded write); (B) a whole port's
/// bandwidth (policing + linux-htb QoS + queue) created through the executor and through ovs-vsctl.
/// Usage: ovs [unix:PATH|tcp:HOST:PORT] [ports] (default $KNT_OVSDB_SOCKET, 200).
/// </summary>
public sealed class OvsBenchmark : IBenchmark
{
    public string Name => "ovs";

    public string Description => "200 OVS port updates: OVSDB client vs ovs-vsctl processes (target >= 30x)";

    public async Task<int> RunAsync(string[] args)
    {
        var address = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("KNT_OVSDB_SOCKET");
        if (string.IsNullOrEmpty(address))
        {
            Console.Error.WriteLine("ovs: give an OVSDB address or set KNT_OVSDB_SOCKET (scripts/services.sh start ovsdb)");
            return 2;
        }
        var count = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
        var bench = new OvsBenchmarkBed(address, count);
        await bench.CreateAsync();
        try
        {
            // The bare transacts and ovs-vsctl write untagged values; the executor may take them over in this run.
            await using var executor = await OvsQosExecutor.ConnectAsync(address, new OvsQosOptions { RepairDrift = false, TunerOwnsBandwidth = true });
            await WarmUpAsync(executor, bench);

            var rawClient = await TimeAsync(() => RawPolicingAsync(executor.Client, bench, 1000));
            var viaExecutor = await TimeAsync(() => ExecutorAsync(executor, bench, i => [Policing(bench.Taps[i], 2000 + i)]));
            var vsctl = await TimeAsync(() => bench.VsctlEachAsync(i => ["set", "Interface", bench.Taps[i], $"ingress_policing_rate={3000 + i}", $"ingress_policing_burst={2400 + i}"]));
            Report($"A. {count} policing updates (Interface ingress_policing_rate/burst)", count,
                ("OVSDB client, one transact per update", rawClient),
                ("QoS executor (read + ownership + wait-guarded write)", viaExecutor),
                ("ovs-vsctl --no-wait, one process per update", vsctl));

            await executor.RemoveInstanceAsync(bench.InstanceUuid);
            var fullExecutor = await TimeAsync(() => ExecutorAsync(executor, bench, i => [Policing(bench.Taps[i], 4000 + i), Htb(bench.Taps[i], 8_000_000 + i)]));
            await executor.RemoveInstanceAsync(bench.InstanceUuid);
            var fullVsctl = await TimeAsync(() => bench.VsctlEachAsync(i => bench.FullPortArgs(i, 5000 + i, 8_000_000 + i)));
            Report($"B. {count} whole-port bandwidth writes (policing + linux-htb QoS + queue, tagged)", count,
                ("QoS executor, one atomic transaction per port", fullExecutor),
                ("ovs-vsctl --no-wait, one process per port", fullVsctl));
            await executor.RemoveInstanceAsync(bench.InstanceUuid);
            var ratio = vsctl.TotalMilliseconds / rawClient.TotalMilliseconds;
            Console.WriteLine($"target: client >= 30x faster than ovs-vsctl for the same updates: {(ratio >= 30 ? "met" : "NOT met")} ({ratio:0.0}x)");
            return 0;
        }
        finally
        {
            await bench.DeleteAsync();
        }
    }

    private static async Task WarmUpAsync(OvsQosExecutor executor, OvsBenchmarkBed bench)
    {
        await RawPolicingAsync(executor.Client, bench, 1);
        await ExecutorAsync(executor, bench, i => [Policing(bench.Taps[i], 1 + i)]);
        await executor.RemoveInstanceAsync(bench.InstanceUuid);
    }

    private static async Task RawPolicingAsync(OvsdbClient client, OvsBenchmarkBed bench, long baseRate)
    {
        for (var i = 0; i < bench.Taps.Count; i++)
        {
            var update = OvsdbOperation.Update("Interface", OvsdbWhere.Equal("name", bench.Taps[i]),
                new JObject { ["ingress_policing_rate"] = baseRate + i, ["ingress_policing_burst"] = (baseRate + i) * 8 / 10 });
            await client.TransactOrThrowAsync(OvsdbClient.OpenVSwitchDatabase, [update]);
        }
    }

    private static async Task ExecutorAsync(OvsQosExecutor executor, OvsBenchmarkBed bench, Func<int, PlanAction[]> actions)
    {
        for (var i = 0; i < bench.Taps.Count; i++)
        {
            var planned = actions(i);
            var results = await executor.ExecuteAsync(new Plan(bench.InstanceUuid, "benchmark", null, planned, []), planned, false);
            if (results.FirstOrDefault(r => r.Status is not (ActionStatus.Applied or ActionStatus.Unchanged)) is { } bad)
            {
                throw new InvalidOperationException($"{bad.Target}: {bad.Status} {bad.Message}");
            }
        }
    }

    private static PlanAction Policing(string tap, long rate) => new(ActionKinds.OvsPolicing, $"port/{tap}",
        new Dictionary<string, string> { ["ingress_policing_rate"] = $"{rate}", ["ingress_policing_burst"] = $"{rate * 8 / 10}" }, ActionTiming.Live, "benchmark");

    private static PlanAction Htb(string tap, long rate) => new(ActionKinds.OvsQos, $"port/{tap}",
        new Dictionary<string, string> { ["type"] = "linux-htb", ["min-rate"] = $"{rate}", ["max-rate"] = $"{rate}", ["burst"] = "81920" }, ActionTiming.Live, "benchmark");

    private static async Task<TimeSpan> TimeAsync(Func<Task> run)
    {
        var watch = Stopwatch.StartNew();
        await run();
        return watch.Elapsed;
    }

    private static void Report(string title, int count, params (string Name, TimeSpan Elapsed)[] rows)
    {
        Console.WriteLine(title);
        var slowest = rows[^1].Elapsed;
        foreach (var (name, elapsed) in rows)
        {
            Console.WriteLine($"  {name,-56} {elapsed.TotalMilliseconds,9:0.0} ms  {elapsed.TotalMilliseconds / count,7:0.000} ms/update  {slowest / elapsed,6:0.0}x vs ovs-vsctl");
        }
    }
}
