using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Controllers;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

public sealed class HugepagePoolRunnerTests
{
    [Test]
    public async Task Step_AfterADeleteAndTheGrace_ReleasesUnusedPagesDownToTheFloor()
    {
        using var tree = FakeHostTree.Create();
        tree.SetPool(0, 2048, 600, 400); // a guest of 200 pages remains; 400 were freed by a delete
        var clock = new FakeTimeProvider();
        var floors = new Dictionary<(int, long), long> { [(0, 2048)] = 128 };
        var runner = new HugepagePoolRunner(new HugepagePoolWriter(tree.Root),
            new HugepagePoolController(new HugepageBudget(4 * 1024 * 1024), TimeSpan.FromMinutes(5), floors), clock);

        Assert.That(await runner.StepAsync(), Is.Empty, "first sight of unused pages starts the grace");
        clock.Advance(TimeSpan.FromMinutes(5));
        var shrunk = await runner.StepAsync();

        Assert.Multiple(() =>
        {
            Assert.That(shrunk.Single().Decision.NewTotal, Is.EqualTo(200));
            Assert.That(tree.Read("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages"), Is.EqualTo("200"));
            Assert.That(shrunk.Single().Written.Shortfall, Is.Zero);
        });
    }
}
