using System.Diagnostics;
using System.Net.Sockets;
using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Core.Tests.Topology;

namespace KvmNovaTuner.Core.Tests.Hooks;

public sealed class HookRunnerTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);

    /// <summary>The budget of the tests where the listener answers: wide, so a loaded CI machine cannot turn a hand-over into a spool.</summary>
    private static readonly TimeSpan AnsweredBudget = TimeSpan.FromSeconds(5);

    private static HookRunner Runner(ListenerHarness h, string hostRoot = "/", TimeSpan? budget = null) =>
        new(new HookRunnerOptions(h.Socket, h.Spool, budget ?? Budget, hostRoot), TimeProvider.System);

    /// <summary>The spool files left after the listener handled them, waiting (bounded) for its removal to land.</summary>
    private static async Task<string[]> SpoolAfterHandlingAsync(ListenerHarness h)
    {
        var clock = Stopwatch.StartNew();
        string[] files;
        while ((files = Directory.GetFiles(h.Spool, "*.json")).Length > 0 && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
        }
        return files;
    }

    private static HookInvocation Call(string operation) => new("instance-00000007", operation, "begin", "-");

    [Test]
    public async Task Started_WithListener_IsSentAndHandledAsLibvirtHookEvent()
    {
        await using var h = new ListenerHarness();
        await h.StartAsync();

        var result = await Runner(h, budget: AnsweredBudget).RunAsync(Call("started"), HookXml.Domain(HookXml.Specs("hw:cpu_policy=dedicated")));
        await h.WaitForAsync(1, TimeSpan.FromSeconds(10));
        var spool = await SpoolAfterHandlingAsync(h);

        var e = h.Seen[0];
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(result.Delivery, Is.EqualTo(HookDelivery.Sent));
            Assert.That(e.EventType, Is.EqualTo("libvirt.hook.started"));
            Assert.That(e.MessageId, Is.EqualTo(result.MessageId));
            Assert.That(e.InstanceUuid, Is.EqualTo(HookXml.Uuid));
            Assert.That(e.Host, Is.EqualTo("compute"));
            Assert.That(e.Flavor!.ExtraSpecs!["hw:cpu_policy"], Is.EqualTo("dedicated"));
            Assert.That(spool, Is.Empty, "a handled event leaves no spool file");
        });
    }

    [Test]
    public async Task Started_WithoutListener_IsSpooledAndReturnsWithinBudget()
    {
        await using var h = new ListenerHarness();
        var clock = Stopwatch.StartNew();

        var result = await Runner(h).RunAsync(Call("started"), HookXml.Domain());

        Assert.Multiple(() =>
        {
            Assert.That(clock.Elapsed, Is.LessThan(Budget + TimeSpan.FromSeconds(1)));
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(result.Delivery, Is.EqualTo(HookDelivery.Spooled));
            Assert.That(result.Message, Does.Contain("spooled"));
            Assert.That(File.Exists(Path.Combine(h.Spool, result.MessageId + ".json")), Is.True);
        });
    }

    [Test]
    public async Task Started_ListenerThatNeverAnswers_IsSpooledWhenTheBudgetEnds()
    {
        await using var h = new ListenerHarness();
        using var silent = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        silent.Bind(new UnixDomainSocketEndPoint(h.Socket));
        silent.Listen(1);
        var clock = Stopwatch.StartNew();

        var result = await Runner(h).RunAsync(Call("started"), HookXml.Domain());

        Assert.Multiple(() =>
        {
            Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(Budget - TimeSpan.FromMilliseconds(50)));
            Assert.That(clock.Elapsed, Is.LessThan(Budget + TimeSpan.FromSeconds(1)));
            Assert.That(result.Delivery, Is.EqualTo(HookDelivery.Spooled));
            Assert.That(result.Message, Does.Contain("no acknowledgement within 500 ms"));
        });
    }

    [Test]
    public async Task SpooledEvent_IsHandledAtTheListenersNextStart()
    {
        await using var h = new ListenerHarness();
        var result = await Runner(h).RunAsync(Call("started"), HookXml.Domain());

        await h.StartAsync();
        await h.WaitForAsync(1, TimeSpan.FromSeconds(10));
        var spool = await SpoolAfterHandlingAsync(h);

        Assert.Multiple(() =>
        {
            Assert.That(h.Seen.Single().MessageId, Is.EqualTo(result.MessageId));
            Assert.That(spool, Is.Empty);
        });
    }

    [Test]
    public async Task SameCallTwice_IsHandledOnce()
    {
        await using var h = new ListenerHarness();
        var xml = HookXml.Domain();
        await Runner(h).RunAsync(Call("started"), xml);
        await h.StartAsync();
        await h.WaitForAsync(1, TimeSpan.FromSeconds(10));

        var again = await Runner(h, budget: AnsweredBudget).RunAsync(Call("started"), xml);
        await h.StopAsync();
        await h.StartAsync();

        Assert.Multiple(() =>
        {
            Assert.That(again.Delivery, Is.EqualTo(HookDelivery.Sent), "the agent answers 'duplicate', which is an acknowledgement");
            Assert.That(h.Seen, Has.Count.EqualTo(1));
        });
    }

    [TestCase("prepare")]
    [TestCase("start")]
    [TestCase("release")]
    [TestCase("migrate")]
    public async Task OtherOperations_AreNotHandedOver(string operation)
    {
        await using var h = new ListenerHarness();

        var result = await Runner(h).RunAsync(Call(operation), HookXml.Domain());

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(result.Delivery, Is.EqualTo(HookDelivery.Skipped));
            Assert.That(Directory.Exists(h.Spool), Is.False);
        });
    }

    [Test]
    public async Task NonNovaDomainOrBadXml_IsSkippedWithExitZero()
    {
        await using var h = new ListenerHarness();

        var plain = await Runner(h).RunAsync(Call("started"), HookXml.Domain(nova: false));
        var bad = await Runner(h).RunAsync(Call("started"), "<domain");

        Assert.Multiple(() =>
        {
            Assert.That(plain.Delivery, Is.EqualTo(HookDelivery.Skipped));
            Assert.That(bad.Delivery, Is.EqualTo(HookDelivery.Skipped));
            Assert.That(bad.ExitCode, Is.Zero);
            Assert.That(bad.Message, Does.Contain("does not parse"));
        });
    }

    [Test]
    public async Task Prepare_RequireOnHostWithoutFreeHugepages_IsRefusedWithTheReason()
    {
        await using var h = new ListenerHarness();
        using var host = FakeHostTree.Numa(nodes: 2, coresPerNode: 2);
        var xml = HookXml.Domain(HookXml.Specs("hw:mem_page_size=2048", "tuner:require=true"), pageSizeKb: 2048, cells: [(0, 1024, "0")]);

        var result = await Runner(h, host.Root).RunAsync(Call("prepare"), xml);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1));
            Assert.That(result.Delivery, Is.EqualTo(HookDelivery.Refused));
            Assert.That(result.Message, Is.EqualTo($"kvm-nova-tuner: instance {HookXml.Uuid} not started (tuner:require=true): the guest needs 512 free 2048 kB hugepages on host NUMA node(s) 0 and 0 are free"));
        });
    }

    [Test]
    public async Task Prepare_RequireOnHostWithFreeHugepages_OrWithoutRequire_IsAccepted()
    {
        await using var h = new ListenerHarness();
        using var host = FakeHostTree.Numa(nodes: 2, coresPerNode: 2);
        host.Pool(0, 2048, 600, 600);
        var required = HookXml.Domain(HookXml.Specs("hw:mem_page_size=2048", "tuner:require=true"), pageSizeKb: 2048, cells: [(0, 1024, "0")]);
        var notRequired = HookXml.Domain(HookXml.Specs("hw:mem_page_size=2048"), pageSizeKb: 2048, cells: [(0, 1024, "1")]);

        var a = await Runner(h, host.Root).RunAsync(Call("prepare"), required);
        var b = await Runner(h, host.Root).RunAsync(Call("prepare"), notRequired);

        Assert.That(new[] { a.ExitCode, b.ExitCode }, Is.EqualTo(new[] { 0, 0 }));
    }
}
