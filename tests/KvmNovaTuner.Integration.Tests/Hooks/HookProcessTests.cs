using System.Diagnostics;
using System.Globalization;
using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Integration.Tests.Agent;
using KvmNovaTuner.Integration.Tests.HostProfile;
using Microsoft.Extensions.DependencyInjection;

namespace KvmNovaTuner.Integration.Tests.Hooks;

/// <summary>Runs the built hook executable the way libvirt does (arguments, domain XML on stdin) against the agent side.</summary>
public sealed class HookProcessTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    /// <summary>A `dotnet` process start on a loaded 2-core machine; the budget covers only the hand-over after it.</summary>
    private static readonly TimeSpan StartAllowance = TimeSpan.FromSeconds(6);

    private static async Task<(int ExitCode, TimeSpan Elapsed, string Stderr)> RunHookAsync(HookAgent agent, string operation, string xml, string hostRoot = "/")
    {
        var clock = Stopwatch.StartNew();
        using var hook = TunerProcess.Start(
            ["hook", "instance-00000009", operation, "begin", "-", "--socket", agent.Socket, "--spool-dir", agent.Spool,
             "--budget", $"{Budget.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s", "--host-root", hostRoot],
            stdin: xml);
        var code = await hook.WaitForExitAsync(Budget + StartAllowance + TimeSpan.FromSeconds(10));
        TestContext.Progress.WriteLine($"hook {operation}: exit {code} in {clock.ElapsedMilliseconds} ms");
        return (code, clock.Elapsed, hook.Stderr);
    }

    [Test]
    public async Task Started_AgentUp_ReturnsWithinBudgetAndTheAgentAppliesIt()
    {
        await using var agent = new HookAgent();
        await agent.StartAsync();

        var (code, elapsed, stderr) = await RunHookAsync(agent, "started", DomainXml.Nova("hw:cpu_policy=dedicated"));
        var applied = await agent.NextAppliedAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, stderr);
            Assert.That(elapsed, Is.LessThan(Budget + StartAllowance));
            Assert.That(stderr, Is.Empty, "nothing to report when the agent took the event");
            Assert.That(applied.Format, Is.EqualTo(NotificationFormat.LibvirtHook));
            Assert.That(applied.EventType, Is.EqualTo("libvirt.hook.started"));
            Assert.That(applied.InstanceUuid, Is.EqualTo(DomainXml.Uuid));
            Assert.That(applied.Flavor!.ExtraSpecs!["hw:cpu_policy"], Is.EqualTo("dedicated"));
        });
    }

    [Test]
    public async Task Started_AgentDown_ReturnsWithinBudgetAndIsAppliedAtTheAgentsNextStart()
    {
        await using var agent = new HookAgent();

        var (code, elapsed, stderr) = await RunHookAsync(agent, "started", DomainXml.Nova("tuner:iothreads=2"));
        var spooled = Directory.GetFiles(agent.Spool, "*.json");
        await agent.StartAsync();
        var applied = await agent.NextAppliedAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, stderr);
            Assert.That(elapsed, Is.LessThan(Budget + StartAllowance));
            Assert.That(stderr, Does.Contain("spooled"));
            Assert.That(spooled, Has.Length.EqualTo(1));
            Assert.That(Path.GetFileNameWithoutExtension(spooled[0]), Is.EqualTo(applied.MessageId));
            Assert.That(applied.Flavor!.ExtraSpecs!["tuner:iothreads"], Is.EqualTo("2"));
            Assert.That(Directory.GetFiles(agent.Spool, "*.json"), Is.Empty, "the spool is drained once applied");
        });
    }

    [Test]
    public async Task Prepare_RequireOnHostWithoutFreeHugepages_FailsWithTheReason()
    {
        await using var agent = new HookAgent();
        using var host = FakeHostTree.Create(nodes: 2);
        var xml = DomainXml.Nova("hw:mem_page_size=2MB", "tuner:require=true");

        var (code, _, stderr) = await RunHookAsync(agent, "prepare", xml, host.Path);
        host.SetPool(1, 2048, 1024, 1024);
        var (codeWithPages, _, _) = await RunHookAsync(agent, "prepare", xml, host.Path);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(1));
            Assert.That(stderr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line for libvirt to show");
            Assert.That(stderr, Does.Contain($"instance {DomainXml.Uuid} not started (tuner:require=true)"));
            Assert.That(stderr, Does.Contain("512 free 2048 kB hugepages"));
            Assert.That(codeWithPages, Is.Zero, "free pages on node 1 honour the flavor");
        });
    }

    [Test]
    public async Task HookAndNovaBootEvent_ThroughTheRegisteredHandler_TuneOnce()
    {
        await using var agent = new HookAgent();
        await agent.StartAsync();

        await RunHookAsync(agent, "started", DomainXml.Nova("hw:cpu_policy=dedicated"));
        await agent.NextAppliedAsync(TimeSpan.FromSeconds(10));
        var nova = new InstanceEvent
        {
            Format = NotificationFormat.Versioned,
            EventType = "instance.create.end",
            MessageId = Guid.NewGuid().ToString(),
            InstanceUuid = DomainXml.Uuid,
            Host = "compute",
        };
        var outcome = await agent.Services.GetRequiredService<BootDedupeHandler>().HandleAsync(nova);

        Assert.Multiple(() =>
        {
            Assert.That(outcome.Status, Is.EqualTo("unchanged"));
            Assert.That(agent.Waiting, Is.Zero, "the pipeline was not asked a second time");
        });
    }
}
