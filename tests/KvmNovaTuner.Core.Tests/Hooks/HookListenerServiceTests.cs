using System.Net.Sockets;
using System.Text;
using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Agent.Observability;

namespace KvmNovaTuner.Core.Tests.Hooks;

public sealed class HookListenerServiceTests
{
    private static HookEvent Event(string id, string operation = "started") => new()
    {
        MessageId = id,
        Domain = "instance-00000007",
        Operation = operation,
        InstanceUuid = HookXml.Uuid,
        Flavor = new HookFlavor("tuned.small", "42", 2, 1024, new Dictionary<string, string> { ["tuner:iothreads"] = "1" }),
    };

    [Test]
    public async Task Send_QueuedThenDuplicate_HandlesOnce()
    {
        await using var h = new ListenerHarness();
        await h.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var first = await HookClient.SendAsync(h.Socket, Event("hook-a"), cts.Token);
        await h.WaitForAsync(1, TimeSpan.FromSeconds(10));
        var second = await HookClient.SendAsync(h.Socket, Event("hook-a"), cts.Token);
        while (h.Listener.Handled == 0 && !cts.IsCancellationRequested)
        {
            await Task.Delay(10, cts.Token); // the journal write follows the handler
        }

        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.EqualTo(HookAck.Queued));
            Assert.That(second.Status, Is.EqualTo(HookAck.Duplicate));
            Assert.That(h.Seen, Has.Count.EqualTo(1));
            Assert.That(h.Listener.Handled, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Metrics_HookEventOverTheSocket_CountedByOperationOnceDespiteTheDuplicate()
    {
        var metrics = new AgentMetrics();
        await using var h = new ListenerHarness(metrics);
        await h.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await HookClient.SendAsync(h.Socket, Event("hook-m", "prepare"), cts.Token);
        await HookClient.SendAsync(h.Socket, Event("hook-m", "prepare"), cts.Token);

        Assert.Multiple(() =>
        {
            Assert.That(metrics.HookEvents.WithLabels("prepare", AgentMetricsFeeds.HookSocket).Value, Is.EqualTo(1));
            Assert.That(metrics.HookEvents.WithLabels("prepare", AgentMetricsFeeds.HookSpool).Value, Is.Zero);
        });
    }

    [Test]
    public async Task Send_UnknownVersion_IsRejectedWithTheReason()
    {
        await using var h = new ListenerHarness();
        await h.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var ack = await HookClient.SendAsync(h.Socket, Event("hook-b") with { Version = 2 }, cts.Token);

        Assert.Multiple(() =>
        {
            Assert.That(ack.Accepted, Is.False);
            Assert.That(ack.Error, Does.Contain("version 1"));
        });
    }

    [Test]
    public async Task GarbageLine_DropsTheConnectionAndKeepsListening()
    {
        await using var h = new ListenerHarness();
        await h.StartAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using (var raw = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await raw.ConnectAsync(new UnixDomainSocketEndPoint(h.Socket), cts.Token);
            await raw.SendAsync(Encoding.UTF8.GetBytes("{not json\n"), SocketFlags.None, cts.Token);
            var buffer = new byte[64];
            Assert.That(await raw.ReceiveAsync(buffer, SocketFlags.None, cts.Token), Is.Zero, "closed without an answer");
        }

        var ack = await HookClient.SendAsync(h.Socket, Event("hook-c"), cts.Token);

        Assert.That(ack.Status, Is.EqualTo(HookAck.Queued));
    }

    [Test]
    public async Task Start_WithUnreadableSpoolFile_SetsItAsideAndReplaysTheRest()
    {
        await using var h = new ListenerHarness();
        var spool = new HookSpool(h.Spool);
        await spool.WriteAsync(Event("hook-d"));
        await File.WriteAllTextAsync(Path.Combine(h.Spool, "hook-broken.json"), "{");

        await h.StartAsync();
        await h.WaitForAsync(1, TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(h.Seen.Single().MessageId, Is.EqualTo("hook-d"));
            Assert.That(File.Exists(Path.Combine(h.Spool, "hook-broken.json.bad")), Is.True);
        });
    }

    [Test]
    public async Task Metrics_SpooledEventReplayedAtStart_CountedAsSpool()
    {
        var metrics = new AgentMetrics();
        await using var h = new ListenerHarness(metrics);
        await new HookSpool(h.Spool).WriteAsync(Event("hook-s", "start"));

        await h.StartAsync();

        Assert.That(metrics.HookEvents.WithLabels("start", AgentMetricsFeeds.HookSpool).Value, Is.EqualTo(1));
    }

    [Test]
    public async Task Start_WhileAnotherListenerOwnsTheSocket_Fails()
    {
        await using var h = new ListenerHarness();
        await h.StartAsync();
        var second = new HookListenerService(h.Options with { StateDir = Path.Combine(h.Root, "state2") }, h, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<HookListenerService>.Instance);

        var e = Assert.ThrowsAsync<IOException>(() => second.StartAsync(CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("already listens"));
    }

    [Test]
    public async Task Spool_Write_IsAtomicAndRoundTrips()
    {
        await using var h = new ListenerHarness();
        var spool = new HookSpool(h.Spool);

        var path = await spool.WriteAsync(Event("hook-e"));
        var read = await spool.ReadAllAsync();

        Assert.Multiple(() =>
        {
            Assert.That(path, Is.EqualTo(spool.PathOf("hook-e")));
            Assert.That(Directory.GetFiles(h.Spool), Is.EqualTo(new[] { path }), "no temp file left behind");
            Assert.That(read.Single().Event.Flavor!.ExtraSpecs!["tuner:iothreads"], Is.EqualTo("1"));
        });
    }
}
