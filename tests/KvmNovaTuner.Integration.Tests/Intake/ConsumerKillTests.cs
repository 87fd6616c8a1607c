using System.Diagnostics;

namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>The agent process is killed with -9 in the middle of 10,000 events and started again: every event is handled exactly once in effect.</summary>
[TestFixture, NonParallelizable]
public sealed class ConsumerKillTests
{
    private const int Events = 10_000;

    [Test, CancelAfter(240_000)]
    public async Task Agent_ProcessKilledMidStream_HandlesEveryEventOnceAfterRestart()
    {
        var broker = TestBroker.Require();
        var options = broker.Options("it-kill-agent-" + Guid.NewGuid().ToString("N")[..8]);
        var dir = Directory.CreateTempSubdirectory("knt-it-agent-").FullName;
        var database = Path.Combine(dir, "intake.db");
        await broker.DeclareNovaQueueAsync(options);
        await broker.PublishAsync(options.NovaExchange, "versioned_notifications.info", Notifications.Many(Events));

        var first = StartAgent(broker, options, dir);
        try
        {
            await JournalProbe.WaitForAsync(database, 2_500, TimeSpan.FromSeconds(90));
        }
        finally
        {
            first.Kill(entireProcessTree: true); // SIGKILL: no graceful shutdown
            await first.WaitForExitAsync();
        }
        var atKill = await JournalProbe.CountAsync(database);
        var second = StartAgent(broker, options, dir);
        try
        {
            var final = await JournalProbe.WaitForAsync(database, Events, TimeSpan.FromSeconds(120));
            TestContext.Progress.WriteLine($"journal at kill: {atKill.Rows}; final {final.Rows} rows, {final.DistinctIds} ids");
            Assert.That(atKill.Rows, Is.LessThan(Events), "the agent was killed in the middle of the stream");
            Assert.That(final.Rows, Is.EqualTo(Events), "each message id journaled exactly once; extra rows:\n" + await JournalProbe.DescribeExtraRowsAsync(database));
            Assert.That(final.DistinctIds, Is.EqualTo(Events));
        }
        finally
        {
            second.Kill(entireProcessTree: true);
            await second.WaitForExitAsync();
        }
        await broker.DeleteQueuesAsync(options.Queue, options.DeadLetterQueue);
        Directory.Delete(dir, recursive: true);
    }

    private static Process StartAgent(TestBroker broker, Messaging.Rabbit.BrokerOptions options, string stateDir)
    {
        var info = new ProcessStartInfo("dotnet", [AgentDll(), "agent", "--broker-url", broker.Url.ToString(), "--host", "compute", "--queue", options.Queue, "--set", $"rabbitmq.exchange={options.NovaExchange}", "--state-dir", stateDir, "--prefetch", "200",
            // The agent runs its whole pipeline: give it a private libvirt test driver, no OVSDB, an empty host root and a free health port.
            "--set", "libvirt.uri=test:///default", "--set", $"ovs.ovsdb=unix:{Path.Combine(stateDir, "no-ovsdb.sock")}",
            "--set", $"host.root={Directory.CreateDirectory(Path.Combine(stateDir, "host-root")).FullName}", "--set", "agent.health_listen=127.0.0.1:0",
            "--set", $"agent.hook_socket={Path.Combine(stateDir, "agent.sock")}", "--set", $"agent.spool_dir={Path.Combine(stateDir, "spool")}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { TestContext.Progress.WriteLine("agent: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The built CLI: src/KvmNovaTuner.Cli/bin/&lt;Configuration&gt;/net10.0/kvm-nova-tuner.dll, same configuration as this test assembly.</summary>
    private static string AgentDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "src", "KvmNovaTuner.Cli", "bin", configuration, "net10.0", "kvm-nova-tuner.dll");
            if (File.Exists(path))
            {
                return path;
            }
        }
        Assert.Ignore($"the CLI is not built ({configuration}): build KvmNovaTuner.sln first");
        return "";
    }
}
