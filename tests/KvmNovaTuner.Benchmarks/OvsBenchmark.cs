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
/// Usage: ovs [unix:PATH|tcp:HOST:PORT] [ports] [rounds] (default $KNT_OVSDB_SOCKET, 200, 3); the summary is the median round.
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
        var rounds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var bench = new OvsBenchmarkBed(address, count);
        await bench.CreateAsync();
        try
        {
            // The bare transacts and ovs-vsctl write untagged values; the executor may take them over in this run.
            await using var executor = await OvsQosExecutor.ConnectAsync(address, new OvsQosOptions { RepairDrift = false, TunerOwnsBandwidth = true });
            await WarmUpAsync(executor, bench);

            // The machine is shared: each round runs every path back to back, and the summary takes the median round.
            var a = new List<TimeSpan[]>();
            var b = new List<TimeSpan[]>();
            for (var round = 0; round < rounds; round++)
            {
                var offset = round * 10_000;
                a.Add(
                [
                    await TimeAsync(() => RawPolicingAsync(executor.Client, bench, 1000 + offset)),
                    await TimeAsync(() => ExecutorAsync(executor, bench, i => [Policing(bench.Taps[i], 2000 + offset + i)])),
                    await TimeAsync(() => bench.VsctlEachAsync(i => ["set", "Interface", bench.Taps[i], $"ingress_policing_rate={3000 + offset + i}", $"ingress_policing_burst={2400 + i}"])),
                ]);
                await executor.RemoveInstanceAsync(bench.InstanceUuid);
                var full = await TimeAsync(() => ExecutorAsync(executor, bench, i => [Policing(bench.Taps[i], 4000 + offset + i), Htb(bench.Taps[i], 8_000_000 + offset + i)]));
                await executor.RemoveInstanceAsync(bench.InstanceUuid);
                b.Add([full, await TimeAsync(() => bench.VsctlEachAsync(i => bench.FullPortArgs(i, 5000 + offset + i, 8_000_000 + offset + i)))]);
                await executor.RemoveInstanceAsync(bench.InstanceUuid);
                Console.WriteLine($"round {round + 1}: A client {a[^1][0].TotalMilliseconds:0.0} ms, executor {a[^1][1].TotalMilliseconds:0.0} ms, ovs-vsctl {a[^1][2].TotalMilliseconds:0.0} ms ({a[^1][2] / a[^1][0]:0.0}x); " +
                    $"B executor {b[^1][0].TotalMilliseconds:0.0} ms, ovs-vsctl {b[^1][1].TotalMilliseconds:0.0} ms ({b[^1][1] / b[^1][0]:0.0}x)");
            }
            var medianA = a.OrderBy(r => r[2] / r[0]).ElementAt(rounds / 2);
            var medianB = b.OrderBy(r => r[1] / r[0]).ElementAt(rounds / 2);
            Console.WriteLine($"median of {rounds} round(s):");
            Report($"A. {count} policing updates (Interface ingress_policing_rate/burst)", count,
                ("OVSDB client, one transact per update", medianA[0]),
                ("QoS executor (read + ownership + wait-guarded write)", medianA[1]),
                ("ovs-vsctl --no-wait, one process per update", medianA[2]));
            Report($"B. {count} whole-port bandwidth writes (policing + linux-htb QoS + queue, tagged)", count,
                ("QoS executor, one atomic transaction per port", medianB[0]),
                ("ovs-vsctl --no-wait, one process per port", medianB[1]));
            var ratio = medianA[2] / medianA[0];
            Console.WriteLine($"target: client >= 30x faster than ovs-vsctl for the same updates: {(ratio >= 30 ? "met" : "NOT met")} ({ratio:0.0}x, median round)");
            return 0;
        }
        finally
        {
            await bench.DeleteAsync();
        }
    }

    private static async Task WarmUpAsync(OvsQosExecutor executor, OvsBenchmarkBed bench)
    {
        // Enough calls for the JIT to promote the hot paths to optimized code before anything is timed.
        for (var pass = 0; pass < 5; pass++)
        {
            await RawPolicingAsync(executor.Client, bench, 1 + pass);
            await ExecutorAsync(executor, bench, i => [Policing(bench.Taps[i], 100 + pass + i), Htb(bench.Taps[i], 1_000_000 + pass)]);
        }
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
