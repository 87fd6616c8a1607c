using System.Diagnostics;
using System.Text;
using System.Text.Json;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Rabbit;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace KvmNovaTuner.Benchmarks;

/// <summary>
/// `intake`: against one local broker, in one run, (a) a bare RabbitMQ.Client consumer that only acks and (b) the
/// tuner's intake (decode + filter + dedupe + journal + ack) on the same 2-3 KB versioned notifications from Nova's
/// samples; prints both rates and (b)/(a), and this process's CPU time per message in each. Args: [messages per round, default 20000] [rounds, default 3].
/// Broker: $KNT_RABBITMQ_URL (start it with scripts/services.sh start rabbitmq).
/// </summary>
public sealed class IntakeBenchmark : IBenchmark
{
    private const ushort Prefetch = 200;

    public string Name => "intake";
    public string Description => "bare RabbitMQ consumer vs the tuner's intake (decode+filter+dedupe+ack), msg/s and ratio";

    public async Task<int> RunAsync(string[] args)
    {
        var url = Environment.GetEnvironmentVariable("KNT_RABBITMQ_URL");
        if (string.IsNullOrEmpty(url))
        {
            Console.Error.WriteLine("KNT_RABBITMQ_URL is not set: start the broker with scripts/services.sh start rabbitmq and source its env file");
            return 2;
        }
        var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        var samples = LoadSamples();
        var uri = new Uri(url);
        Console.WriteLine($"intake benchmark: {count} messages per round, {rounds} rounds, {samples.Count} sample shapes of {samples.Min(s => s.Length)}-{samples.Max(s => s.Length)} bytes, prefetch {Prefetch}, broker {uri.Host}:{uri.Port}");
        var bare = new List<double>();
        var intake = new List<double>();
        var bareCpu = new List<double>();
        var intakeCpu = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var a = await MeasureAsync(uri, count, samples, BareConsumeAsync);
            var b = await MeasureAsync(uri, count, samples, IntakeConsumeAsync);
            bare.Add(a.Rate);
            intake.Add(b.Rate);
            bareCpu.Add(a.CpuMicroseconds);
            intakeCpu.Add(b.CpuMicroseconds);
            Console.WriteLine($"round {round}: (a) bare {a.Rate,8:N0} msg/s   (b) intake {b.Rate,8:N0} msg/s   ratio {b.Rate / a.Rate:F2}   client CPU per message: (a) {a.CpuMicroseconds:F1} us, (b) {b.CpuMicroseconds:F1} us");
        }
        Console.WriteLine($"for reference, decode alone: {DecodeOnly(count, samples):N0} msg/s");
        Console.WriteLine($"for reference, the intake pipeline alone (no broker, one thread): {await PipelineOnlyAsync(count, samples):N0} msg/s");
        var ratio = Median(bare.Zip(intake, (x, y) => y / x).ToList());
        Console.WriteLine($"median: (a) bare consumer {Median(bare):N0} msg/s, (b) tuner intake {Median(intake):N0} msg/s; median of the per-round ratios (b)/(a) = {ratio:F2} (target >= 0.90)");
        Console.WriteLine($"median client CPU per message (this process, all threads; the broker not counted): (a) {Median(bareCpu):F1} us, (b) {Median(intakeCpu):F1} us");
        return 0;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>One consume: msg/s, and this process's CPU time (all threads) per message while it ran.</summary>
    private readonly record struct Sample(double Rate, double CpuMicroseconds);

    /// <summary>Times <paramref name="body"/> by the wall clock and by this process's CPU time.</summary>
    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> ClockAsync(Func<Task> body)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await body();
        return (clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static async Task<Sample> MeasureAsync(Uri uri, int count, List<string> samples, Func<Uri, string, int, Task<(TimeSpan Elapsed, TimeSpan Cpu)>> consume)
    {
        var queue = "bench-intake-" + Guid.NewGuid().ToString("N")[..8];
        await FillAsync(uri, queue, count, samples);
        var (elapsed, cpu) = await consume(uri, queue, count);
        await using var connection = await new ConnectionFactory { Uri = uri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
        await channel.QueueDeleteAsync(queue + ".dead-letter");
        return new Sample(count / elapsed.TotalSeconds, cpu.TotalMicroseconds / count);
    }

    /// <summary>(a): only acks, same prefetch and dispatch concurrency as the intake.</summary>
    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> BareConsumeAsync(Uri uri, string queue, int count)
    {
        await using var connection = await new ConnectionFactory { Uri = uri, AutomaticRecoveryEnabled = true }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, Prefetch, false);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, ea) =>
        {
            _ = ea.Body.ToArray();
            await channel.BasicAckAsync(ea.DeliveryTag, false);
            if (++received == count)
            {
                done.TrySetResult();
            }
        };
        return await ClockAsync(async () =>
        {
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
            await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        });
    }

    /// <summary>(b): the tuner's listener with its pipeline and a fresh SQLite store.</summary>
    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> IntakeConsumeAsync(Uri uri, string queue, int count)
    {
        var dir = Directory.CreateTempSubdirectory("knt-bench-intake-").FullName;
        try
        {
            await using var runtime = await IntakeRuntime.OpenAsync(dir, "compute", new DecisionRecordingHandler(), TimeProvider.System, TimeSpan.FromDays(1), NullLogger.Instance);
            var options = new BrokerOptions { BrokerUri = uri, Queue = queue, Prefetch = Prefetch };
            var listener = new NotificationListener(options, IntakeSource.Nova, runtime.Pipeline, NullLogger.Instance);
            var measured = await ClockAsync(async () =>
            {
                await using (await listener.StartAsync())
                {
                    while (listener.Counts.Total < count)
                    {
                        await Task.Delay(2);
                    }
                }
            });
            var journal = await runtime.Store.ReadJournalAsync();
            if (journal.Count != count)
            {
                throw new InvalidOperationException($"intake journaled {journal.Count} of {count}");
            }
            return measured;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double DecodeOnly(int count, List<string> samples)
    {
        var bodies = Enumerable.Range(0, count).Select(i => WithFreshId(samples[i % samples.Count])).ToList();
        var clock = Stopwatch.StartNew();
        foreach (var body in bodies)
        {
            _ = KvmNovaTuner.Core.Decoding.NotificationDecoder.Decode(body);
        }
        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>The pipeline with no broker: decode + filter + dedupe + journal, group-committed like the listener.</summary>
    private static async Task<double> PipelineOnlyAsync(int count, List<string> samples)
    {
        var dir = Directory.CreateTempSubdirectory("knt-bench-pipeline-").FullName;
        try
        {
            var bodies = Enumerable.Range(0, count).Select(i => WithFreshId(samples[i % samples.Count])).ToList();
            await using var runtime = await IntakeRuntime.OpenAsync(dir, "compute", new DecisionRecordingHandler(), TimeProvider.System, TimeSpan.FromDays(1), NullLogger.Instance);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < count; i++)
            {
                if (i % ConsumerLoop.MaxBatch == 0)
                {
                    await runtime.Store.BeginBatchAsync();
                }
                await runtime.Pipeline.ProcessAsync(bodies[i]);
                if (i % ConsumerLoop.MaxBatch == ConsumerLoop.MaxBatch - 1 || i == count - 1)
                {
                    await runtime.Store.CommitBatchAsync();
                }
            }
            return count / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task FillAsync(Uri uri, string queue, int count, List<string> samples)
    {
        await using var connection = await new ConnectionFactory { Uri = uri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        var properties = new BasicProperties { Persistent = true };
        for (var start = 0; start < count; start += 500)
        {
            var batch = Enumerable.Range(start, Math.Min(500, count - start))
                .Select(i => channel.BasicPublishAsync("", queue, false, properties, WithFreshId(samples[i % samples.Count])).AsTask());
            await Task.WhenAll(batch);
        }
    }

    private static byte[] WithFreshId(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var inner = doc.RootElement.GetProperty("oslo.message").GetString()!;
        var id = JsonDocument.Parse(inner).RootElement.GetProperty("message_id").GetString()!;
        return Encoding.UTF8.GetBytes(line.Replace(id, Guid.NewGuid().ToString(), StringComparison.Ordinal));
    }

    /// <summary>Nova's wire samples of 2-3 KB (versioned instance notifications).</summary>
    private static List<string> LoadSamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "data", "nova-notifications", "all.jsonl");
            if (File.Exists(path))
            {
                return File.ReadLines(path).Where(l => Encoding.UTF8.GetByteCount(l) is >= 2000 and <= 3000).ToList();
            }
        }
        throw new FileNotFoundException("tests/data/nova-notifications/all.jsonl not found");
    }
}
