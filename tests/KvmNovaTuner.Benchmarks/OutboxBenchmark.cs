using System.Diagnostics;
using KvmNovaTuner.OpenStack.Reporting;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Benchmarks;

/// <summary>
/// The reporter's durable outbox: how fast intake can queue outcomes (what an event costs the intake path) and
/// how many Nova writes coalescing saves when servers change status several times before delivery.
/// </summary>
public sealed class OutboxBenchmark : IBenchmark
{
    public string Name => "outbox";
    public string Description => "Reporter outbox: queueing rate, per-report latency, Nova writes saved by coalescing";

    public async Task<int> RunAsync(string[] args)
    {
        const int servers = 200;
        const int reportsPerServer = 10;
        var dir = Directory.CreateTempSubdirectory("knt-bench-outbox");
        try
        {
            var writer = new CountingWriter();
            var reporter = new StatusReporter(new OutboxStore(Path.Combine(dir.FullName, "outbox.db")), writer, TimeProvider.System, NullLogger.Instance);
            var latencies = new List<double>(servers * reportsPerServer);
            var total = Stopwatch.StartNew();
            for (var round = 0; round < reportsPerServer; round++)
            {
                for (var s = 0; s < servers; s++)
                {
                    var one = Stopwatch.GetTimestamp();
                    reporter.Report($"server-{s}", round % 2 == 0 ? TunerStatus.PendingRestart : TunerStatus.Applied, $"round {round}");
                    latencies.Add(Stopwatch.GetElapsedTime(one).TotalMilliseconds);
                }
            }
            total.Stop();
            var drain = Stopwatch.StartNew();
            var delivered = 0;
            int batch;
            while ((batch = await reporter.DrainOnceAsync()) > 0) delivered += batch;
            drain.Stop();

            latencies.Sort();
            var reports = servers * reportsPerServer;
            var naiveWrites = reports * 2;
            Console.WriteLine($"reports queued:            {reports} ({servers} servers x {reportsPerServer} outcomes, 2 keys each)");
            Console.WriteLine($"queueing rate:             {reports / total.Elapsed.TotalSeconds:F0} reports/s");
            Console.WriteLine($"per-report latency:        p50 {latencies[reports / 2]:F3} ms, p99 {latencies[reports * 99 / 100]:F3} ms");
            Console.WriteLine($"Nova writes, coalesced:    {writer.Writes} (drained in {drain.Elapsed.TotalMilliseconds:F0} ms)");
            Console.WriteLine($"Nova writes, one per key:  {naiveWrites}");
            Console.WriteLine($"ratio:                     {(double)naiveWrites / writer.Writes:F1}x fewer writes");
            return delivered == writer.Writes ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    private sealed class CountingWriter : IServerMetadataWriter
    {
        public int Writes { get; private set; }
        public Task SetAsync(string serverId, string key, string value, CancellationToken cancellationToken) { Writes++; return Task.CompletedTask; }
        public Task DeleteAsync(string serverId, string key, CancellationToken cancellationToken) { Writes++; return Task.CompletedTask; }
    }
}
