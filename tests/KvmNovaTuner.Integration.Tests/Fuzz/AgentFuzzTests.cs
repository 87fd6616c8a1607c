using System.Diagnostics;
using KvmNovaTuner.Agent.Demo;
using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Integration.Tests.Agent;
using KvmNovaTuner.Integration.Tests.Intake;
using KvmNovaTuner.Integration.Tests.Support;
using KvmNovaTuner.Libvirt.Native;
using KvmNovaTuner.Tests.Fuzzing;
using Microsoft.Data.Sqlite;

namespace KvmNovaTuner.Integration.Tests.Fuzz;

/// <summary>
/// 100,000 fuzzed mutations of Nova's samples (seeded; invalid UTF-8 included) interleaved with 1,000 valid events,
/// through the running agent binary on the real broker: the process never restarts, every message the decoder
/// rejects is in the dead-letter queue with a reason, every valid event is journaled exactly once.
/// </summary>
[TestFixture, NonParallelizable, Category("Fuzz")]
public sealed class AgentFuzzTests
{
    private const int Fuzzed = 100_000;
    private const int Valid = 1_000;
    /// <summary>Messages over 1 MiB (HugeString) are kept to a few: a thousand of them would be a gigabyte through the broker.</summary>
    private const int MaxHuge = 20;
    private const string ValidPrefix = "fuzz-valid-";

    [Test, CancelAfter(600_000)]
    public async Task Agent_100000FuzzedMessagesAmong1000ValidEvents_DeadLettersEveryBadOneAndJournalsEveryValidOneOnce()
    {
        var url = ServiceEnvironment.Require("KNT_RABBITMQ_URL", "RabbitMQ");
        if (!LibvirtRuntime.IsAvailable(out var reason)) Assert.Ignore(reason);
        var fuzzed = FuzzedBodies();
        var expectedBad = fuzzed.Count(b => NotificationDecoder.Decode(b).Error is not null);
        var host = $"fuzz-{Guid.NewGuid():N}"[..20];
        var exchange = "it-nova-" + host;
        var valid = Notifications.Many(Valid, host, ValidPrefix);
        var bodies = Interleave(fuzzed, valid);
        var dir = Directory.CreateTempSubdirectory("knt-agent-fuzz-").FullName;
        var queue = $"kvm-nova-tuner.{host}";
        var broker = TestBroker.Require();
        try
        {
            var uri = DemoHost.WriteLibvirtHost(dir, []);
            DemoHost.WriteSysfs(Path.Combine(dir, "root"));
            using var agent = TunerProcess.Start([
                "agent", "--set", "agent.health_listen=127.0.0.1:0", "--set", $"libvirt.uri={uri}", "--set", $"host.root={dir}/root",
                "--set", $"ovs.ovsdb=unix:{dir}/none.sock", "--set", $"DEFAULT.host={host}", "--set", $"rabbitmq.url={url}", "--set", $"rabbitmq.exchange={exchange}",
                "--set", $"agent.state_dir={dir}/state", "--set", $"agent.spool_dir={dir}/spool", "--set", $"agent.hook_socket={dir}/agent.sock"]);
            var pid = agent.Pid;
            await WaitForConsumerAsync(broker, queue, agent, TimeSpan.FromSeconds(90));

            var clock = Stopwatch.StartNew();
            await broker.PublishAsync(exchange, "versioned_notifications.info", bodies);
            var published = clock.Elapsed;
            var database = Path.Combine(dir, "state", "intake.db");
            var deadLetterQueue = queue + ".dead-letter";
            while (await broker.MessageCountAsync(deadLetterQueue) < expectedBad || (await ValidJournalAsync(database)).Count < Valid || await broker.MessageCountAsync(queue) > 0)
            {
                Assert.That(agent.HasExited, Is.False, $"the agent exited: {Tail(agent.Stderr)}");
                Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMinutes(5)), $"dead-lettered {await broker.MessageCountAsync(deadLetterQueue)} of {expectedBad}, journaled {(await ValidJournalAsync(database)).Count} of {Valid} valid events");
                await Task.Delay(500);
            }
            var duration = clock.Elapsed;
            var journal = await ValidJournalAsync(database);
            var dead = await DeadLetterQueue.DrainAsync(broker, deadLetterQueue);
            TestContext.Progress.WriteLine($"fuzz: {bodies.Count} messages ({Fuzzed} fuzzed, {expectedBad} rejected by the decoder, {Valid} valid) in {duration.TotalSeconds:F1} s " +
                $"(published in {published.TotalSeconds:F1} s): {bodies.Count / duration.TotalSeconds:F0} msg/s; DLQ {dead.Count}; valid events journaled {journal.Count}, each {string.Join("/", journal.Values.Distinct())} time(s)");
            Assert.Multiple(() =>
            {
                Assert.That(agent.HasExited, Is.False, "the agent process never stopped");
                Assert.That(agent.Pid, Is.EqualTo(pid));
                Assert.That(dead, Has.Count.EqualTo(expectedBad), "every message the decoder rejects is dead-lettered, once");
                Assert.That(dead.Where(d => d.Reason.Length is 0 or > KvmNovaTuner.Messaging.Rabbit.DeadLetters.MaxReason), Is.Empty, "each with a reason of at most 300 characters");
                Assert.That(journal.Keys, Is.EquivalentTo(valid.Select(v => NotificationDecoder.Decode(v).Event!.MessageId)), "every valid event journaled");
                Assert.That(journal.Values, Has.All.EqualTo(1), "exactly once");
            });
            agent.Terminate();
            Assert.That(await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.Zero, Tail(agent.Stderr));
        }
        finally
        {
            await broker.DeleteQueuesAsync(queue, queue + ".dead-letter");
            Directory.Delete(dir, recursive: true);
        }
    }

    private static List<byte[]> FuzzedBodies()
    {
        var huge = 0;
        return [.. NotificationFuzzer.Generate(NotificationFuzzer.DefaultSeed, int.MaxValue)
            .Where(m => m.Kind != MutationKind.HugeString || huge++ < MaxHuge)
            .Take(Fuzzed)
            .Select(m => m.Body)];
    }

    /// <summary>One valid event after every hundred fuzzed messages.</summary>
    private static List<byte[]> Interleave(List<byte[]> fuzzed, List<byte[]> valid)
    {
        var all = new List<byte[]>(fuzzed.Count + valid.Count);
        var step = fuzzed.Count / valid.Count;
        for (var i = 0; i < valid.Count; i++)
        {
            all.AddRange(fuzzed.Skip(i * step).Take(step));
            all.Add(valid[i]);
        }
        all.AddRange(fuzzed.Skip(valid.Count * step));
        return all;
    }

    /// <summary>How many journal rows each valid event (by message id) has.</summary>
    private static async Task<Dictionary<string, long>> ValidJournalAsync(string database)
    {
        var rows = new Dictionary<string, long>();
        if (!File.Exists(database)) return rows;
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False;Default Timeout=10");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT message_id, COUNT(*) FROM journal WHERE message_id LIKE '{ValidPrefix}%' GROUP BY message_id";
        try
        {
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows[reader.GetString(0)] = reader.GetInt64(1);
        }
        catch (SqliteException e) when (e.Message.Contains("no such table", StringComparison.Ordinal))
        {
            // not created yet
        }
        return rows;
    }

    private static async Task WaitForConsumerAsync(TestBroker broker, string queue, TunerProcess agent, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await broker.ConnectAsync();
        while (true)
        {
            try
            {
                await using var channel = await connection.CreateChannelAsync();
                if ((await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount > 0) return;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                // not declared yet
            }
            Assert.That(agent.HasExited, Is.False, $"the agent exited: {Tail(agent.Stderr)}");
            Assert.That(clock.Elapsed, Is.LessThan(timeout), $"the agent did not consume {queue}: {Tail(agent.Stderr)}");
            await Task.Delay(200);
        }
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
