using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.HostTuning.Controllers;
using KvmNovaTuner.HostTuning.Profiles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

public sealed class HostTuningFactoryTests
{
    [Test]
    public async Task Parts_FromLatencyProfile_GrowForABootAndReleaseOnlyAboveTheReservation()
    {
        using var tree = FakeHostTree.Create();
        tree.SetPool(0, 2048, 512, 512); // the profile's reservation is in place
        var clock = new FakeTimeProvider();
        var parts = await HostTuningFactory.CreateAsync(tree.Root, await ProfileCatalog.LoadAsync([]), "virtual-host-latency",
            new FakeGuests(), clock, NullLoggerFactory.Instance);
        var action = new PlanAction(ActionKinds.HugepagePool, "node/0/hugepages-2048kB",
            new Dictionary<string, string> { ["node"] = "0", ["page_size_kb"] = "2048", ["nr_hugepages"] = "1024" }, ActionTiming.Host, "hw:mem_page_size=2MB");

        var grown = (await parts.Executor.ExecuteAsync(new Plan("u", "instance.create.start", "h", [action], []), [action], dryRun: false)).Single();
        tree.SetPool(0, 2048, 1024, 1024); // the boot never came: every page still free
        clock.Advance(parts.Settings.HugepageReleaseGrace / 2);
        var early = await parts.Loop.StepAsync();
        clock.Advance(parts.Settings.HugepageReleaseGrace / 2);
        var report = await parts.Loop.StepAsync();

        Assert.Multiple(() =>
        {
            Assert.That(parts.Settings.KsmAdaptive, Is.False);
            Assert.That(grown.Status, Is.EqualTo(ActionStatus.Applied));
            Assert.That(early.Released, Is.Empty, "the grace of a grown pool runs from the grow");
            Assert.That(report.Released.Single().NewTotal, Is.EqualTo(512), "released down to the profile's 512 pages");
            Assert.That(tree.Read("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages"), Is.EqualTo("512"));
        });
    }
}
