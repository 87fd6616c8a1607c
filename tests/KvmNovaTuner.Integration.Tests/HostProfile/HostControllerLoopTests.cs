using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Controllers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

public sealed class HostControllerLoopTests
{
    [Test]
    public async Task Run_StepsAtOnceThenEveryPeriodOfTheInjectedClock()
    {
        using var tree = FakeHostTree.Create();
        tree.SetPool(0, 2048, 100, 100);
        var clock = new FakeTimeProvider();
        var ksm = new KsmControllerRunner(tree.Root, new KsmController(new KsmPolicy()), new FakeGuests(30_000_000), clock);
        var pools = new HugepagePoolRunner(new HugepagePoolWriter(tree.Root), new HugepagePoolController(new HugepageBudget(1 << 30), TimeSpan.FromMinutes(1)), clock);
        var steps = new List<ControllerStepReport>();
        var firstStep = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStep = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new HostControllerLoop(ksm, pools, clock, TimeSpan.FromMinutes(1), NullLogger<HostControllerLoop>.Instance)
        {
            OnStep = report =>
            {
                lock (steps)
                {
                    steps.Add(report);
                    (steps.Count == 1 ? firstStep : secondStep).TrySetResult();
                }
            },
        };
        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);
        await firstStep.Task.WaitAsync(TimeSpan.FromSeconds(10));

        clock.Advance(TimeSpan.FromMinutes(1));
        await secondStep.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(steps[0].Ksm?.Run, Is.EqualTo(1), "first step starts KSM under memory pressure");
            Assert.That(steps[1].Released.Single().NewTotal, Is.Zero, "unused pages released after the grace");
            Assert.That(tree.Read("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages"), Is.EqualTo("0"));
        });
    }

    [Test]
    public async Task Step_HostWriteFails_IsLoggedNotThrown()
    {
        using var tree = FakeHostTree.Create();
        var clock = new FakeTimeProvider();
        // a directory where a KSM knob should be: the write is refused
        var knob = tree.Root.Resolve("/sys/kernel/mm/ksm/pages_to_scan");
        File.Delete(knob);
        Directory.CreateDirectory(knob);
        var ksm = new KsmControllerRunner(tree.Root, new KsmController(new KsmPolicy()), new FakeGuests(30_000_000), clock);
        var pools = new HugepagePoolRunner(new HugepagePoolWriter(tree.Root), new HugepagePoolController(new HugepageBudget(1 << 30), TimeSpan.Zero), clock);
        var loop = new HostControllerLoop(ksm, pools, clock, TimeSpan.FromMinutes(1), NullLogger<HostControllerLoop>.Instance);
        Assert.That(async () => await loop.StepAsync(), Throws.Nothing);
        Assert.That(tree.Read("/sys/kernel/mm/ksm/run"), Is.EqualTo("0"), "the step stopped at the failed write");
    }
}
