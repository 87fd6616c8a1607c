using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Controllers;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

public sealed class KsmControllerRunnerTests
{
    private FakeHostTree _tree = null!;
    private FakeTimeProvider _clock = null!;
    private FakeGuests _guests = null!;
    private KsmControllerRunner _runner = null!;

    [SetUp]
    public void CreateTree()
    {
        _tree = FakeHostTree.Create();
        _clock = new FakeTimeProvider();
        _guests = new FakeGuests();
        _runner = new KsmControllerRunner(_tree.Root, new KsmController(new KsmPolicy()), _guests, _clock);
    }

    [TearDown]
    public void DeleteTree() => _tree.Dispose();

    [Test]
    public async Task Step_MemoryShort_StartsKsmAndBoostsScanning()
    {
        // 32 GiB host, 5 GB free (MemFree + Buffers + Cached) is below the 20 % threshold
        _guests.Summary = new GuestMemorySummary(30_000_000, 0);
        var decision = await _runner.StepAsync();
        Assert.Multiple(() =>
        {
            Assert.That(decision?.Run, Is.EqualTo(1));
            Assert.That(_tree.Read("/sys/kernel/mm/ksm/run"), Is.EqualTo("1"));
            Assert.That(_tree.Read("/sys/kernel/mm/ksm/pages_to_scan"), Is.EqualTo("400"));
            Assert.That(_tree.Read("/sys/kernel/mm/ksm/sleep_millisecs"), Is.EqualTo("10"));
        });
    }

    [Test]
    public async Task Step_OptOutGuestStarts_StopsAndUnmergesWithoutWaitingForTheInterval()
    {
        _guests.Summary = new GuestMemorySummary(30_000_000, 0);
        await _runner.StepAsync();
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.That(await _runner.StepAsync(), Is.Null, "nothing due within the interval");
        _guests.Summary = new GuestMemorySummary(30_000_000, 1);
        await _runner.StepAsync();
        Assert.That(_tree.Read("/sys/kernel/mm/ksm/run"), Is.EqualTo("2"));
    }

    [Test]
    public async Task Step_GuardOnly_WritesOnlyRun()
    {
        _tree.Write("/sys/kernel/mm/ksm/run", "1");
        _guests.Summary = new GuestMemorySummary(1_000_000, 1);
        var guard = new KsmControllerRunner(_tree.Root, new KsmController(new KsmPolicy(), adaptive: false), _guests, _clock);
        await guard.StepAsync();
        Assert.Multiple(() =>
        {
            Assert.That(_tree.Read("/sys/kernel/mm/ksm/run"), Is.EqualTo("2"));
            Assert.That(_tree.Read("/sys/kernel/mm/ksm/pages_to_scan"), Is.EqualTo("100"), "the profile's scan rate is left alone");
            Assert.That(_tree.Read("/sys/kernel/mm/ksm/sleep_millisecs"), Is.EqualTo("20"));
        });
    }
}
