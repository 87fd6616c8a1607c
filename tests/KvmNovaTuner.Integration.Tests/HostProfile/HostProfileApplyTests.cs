using KvmNovaTuner.HostTuning.Profiles;
using static KvmNovaTuner.Integration.Tests.HostProfile.HostProfileHarness;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

public sealed class HostProfileApplyTests
{
    private FakeHostTree _tree = null!;

    [SetUp]
    public void CreateTree() => _tree = FakeHostTree.Create();

    [TearDown]
    public void DeleteTree() => _tree.Dispose();

    [Test]
    public async Task Apply_Latency_WritesEveryValueAndVerifyPasses()
    {
        var outcomes = await ApplyAsync(_tree, "virtual-host-latency");
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Where(o => o.Status == ItemStatus.Failed), Is.Empty);
            Assert.That(_tree.Read("/sys/kernel/mm/transparent_hugepage/enabled"), Is.EqualTo("never"));
            Assert.That(_tree.Read("/sys/kernel/mm/ksm/run"), Is.EqualTo("2"));
            Assert.That(_tree.Read("/proc/sys/kernel/numa_balancing"), Is.EqualTo("0"));
            Assert.That(_tree.Read("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages"), Is.EqualTo("512"));
            Assert.That(_tree.Read("/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages"), Is.EqualTo("512"));
        });
        var verify = await VerifyAsync(_tree, "virtual-host-latency");
        Assert.That(verify.Where(v => !v.Pass).Select(v => v.Item), Is.Empty);
    }

    [Test]
    public async Task Apply_SavesTheOriginalValueOfEveryChangedItem()
    {
        await ApplyAsync(_tree, "virtual-host-latency");
        await using var store = await StoreAsync(_tree);
        var saved = (await store.GetSavedAsync()).ToDictionary(s => s.Item, s => s.Original);
        Assert.Multiple(() =>
        {
            Assert.That(saved["vm.transparent_hugepages"], Is.EqualTo("madvise"), "the bracketed choice, not the raw text");
            Assert.That(saved["ksm.run"], Is.EqualTo("0"));
            Assert.That(saved["sysctl.vm.swappiness"], Is.EqualTo("60"));
            Assert.That(saved, Does.Not.ContainKey("disk.scheduler.sda"), "an unchanged value is not saved");
        });
    }

    [Test]
    public async Task Rollback_RestoresEveryOriginal_AndForgetsThem()
    {
        var before = _tree.Values();
        await ApplyAsync(_tree, "virtual-host-latency");
        Assert.That(_tree.Values(), Is.Not.EqualTo(before));
        var restored = await RollbackAsync(_tree);
        Assert.Multiple(async () =>
        {
            Assert.That(restored, Has.All.Matches<ItemOutcome>(o => o.Status == ItemStatus.Restored));
            Assert.That(_tree.Values(), Is.EqualTo(before));
            await using var store = await StoreAsync(_tree);
            Assert.That(await store.GetSavedAsync(), Is.Empty);
            Assert.That(await store.GetJournalAsync(), Is.Null);
        });
    }

    [Test]
    public async Task Apply_SecondProfile_KeepsTheFirstOriginals()
    {
        await ApplyAsync(_tree, "virtual-host-dense");
        Assert.That(_tree.Read("/sys/kernel/mm/ksm/run"), Is.EqualTo("1"));
        await ApplyAsync(_tree, "virtual-host-latency");
        await RollbackAsync(_tree);
        Assert.That(_tree.Read("/sys/kernel/mm/ksm/run"), Is.EqualTo("0"), "rollback returns to the value before any profile");
    }

    [Test]
    public async Task Apply_Twice_SecondRunChangesNothing()
    {
        await ApplyAsync(_tree, "virtual-host");
        var second = await ApplyAsync(_tree, "virtual-host");
        Assert.That(second, Has.All.Matches<ItemOutcome>(o => o.Status == ItemStatus.Unchanged));
    }

    [Test]
    public async Task Verify_DriftedValue_FailsThatItemOnly()
    {
        await ApplyAsync(_tree, "virtual-host");
        _tree.Write("/proc/sys/vm/swappiness", "60");
        var verify = await VerifyAsync(_tree, "virtual-host");
        Assert.Multiple(() =>
        {
            Assert.That(verify.Where(v => !v.Pass).Select(v => (v.Item, v.Actual)), Is.EqualTo(new[] { ("sysctl.vm.swappiness", (string?)"60") }));
            Assert.That(verify.Count(v => v.Pass), Is.GreaterThan(0));
        });
    }

    [Test]
    public async Task DryRun_WritesNothingAndCreatesNoStore()
    {
        var before = _tree.Snapshot();
        var items = await ItemsAsync(_tree, "virtual-host-latency");
        var outcomes = await new HostProfileApplier(_tree.Root, null).ApplyAsync("virtual-host-latency", items, dryRun: true);
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Count(o => o.Status == ItemStatus.WouldChange), Is.GreaterThan(0));
            Assert.That(_tree.Snapshot(), Is.EqualTo(before));
            Assert.That(Directory.Exists(_tree.StateDir), Is.False);
        });
    }

    [Test]
    public async Task Apply_ValueMissingOnThisHost_FailsThatItemAndAppliesTheRest()
    {
        File.Delete(_tree.Root.Resolve("/proc/sys/vm/swappiness"));
        var outcomes = await ApplyAsync(_tree, "virtual-host");
        Assert.Multiple(() =>
        {
            Assert.That(outcomes.Single(o => o.Status == ItemStatus.Failed).Item, Is.EqualTo("sysctl.vm.swappiness"));
            Assert.That(_tree.Read("/proc/sys/vm/dirty_background_ratio"), Is.EqualTo("5"));
        });
    }

    [Test]
    public async Task Verify_Dense_AcceptsWhatTheKsmControllerDecided()
    {
        await ApplyAsync(_tree, "virtual-host-dense");
        Assert.That(_tree.Read("/sys/kernel/mm/ksm/run"), Is.EqualTo("1"), "apply starts KSM");
        _tree.Write("/sys/kernel/mm/ksm/run", "0"); // the controller stopped it: memory is plentiful
        var ksm = (await VerifyAsync(_tree, "virtual-host-dense")).Single(v => v.Item == "ksm.run");
        Assert.Multiple(() =>
        {
            Assert.That(ksm.Pass, Is.True);
            Assert.That(ksm.Note, Does.Contain("KSM controller"));
        });
    }
}
