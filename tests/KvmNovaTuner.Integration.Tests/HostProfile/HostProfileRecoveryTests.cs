using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Profiles;
using static KvmNovaTuner.Integration.Tests.HostProfile.HostProfileHarness;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

public sealed class HostProfileRecoveryTests
{
    private sealed class SimulatedCrashException : Exception;

    private FakeHostTree _tree = null!;

    [SetUp]
    public async Task CrashAnApply()
    {
        _tree = FakeHostTree.Create();
        Before = _tree.Values();
        var items = await ItemsAsync(_tree, "virtual-host-dense");
        await using var store = await StoreAsync(_tree);
        var applier = new HostProfileApplier(_tree.Root, store) { AfterSave = (_, _) => throw new SimulatedCrashException() };
        Assert.That(() => applier.ApplyAsync("virtual-host-dense", items, dryRun: false), Throws.TypeOf<SimulatedCrashException>());
    }

    private Dictionary<string, string> Before { get; set; } = [];

    [TearDown]
    public void DeleteTree() => _tree.Dispose();

    private async Task<RecoveryReport> RecoverAsync(RecoveryMode mode)
    {
        await using var store = await StoreAsync(_tree);
        return await new HostProfileRecovery(_tree.Root, store, await ProfileCatalog.LoadAsync([])).RecoverAsync(mode);
    }

    [Test]
    public async Task Recover_Finish_AppliesTheInterruptedProfile()
    {
        var report = await RecoverAsync(RecoveryMode.Finish);
        Assert.Multiple(async () =>
        {
            Assert.That(report.Profile, Is.EqualTo("virtual-host-dense"));
            Assert.That(report.Outcomes.Where(o => o.Status == ItemStatus.Failed), Is.Empty);
            Assert.That(_tree.Read("/sys/kernel/mm/ksm/run"), Is.EqualTo("1"));
            Assert.That((await VerifyAsync(_tree, "virtual-host-dense")).All(v => v.Pass), Is.True);
        });
    }

    [Test]
    public async Task Recover_Rollback_RestoresTheHost()
    {
        var report = await RecoverAsync(RecoveryMode.Rollback);
        Assert.Multiple(() =>
        {
            Assert.That(report.Outcomes, Has.Count.EqualTo(1), "only the first original was saved before the crash");
            Assert.That(_tree.Values(), Is.EqualTo(Before));
        });
    }

    [Test]
    public async Task Recover_NothingInterrupted_DoesNothing()
    {
        await RecoverAsync(RecoveryMode.Finish);
        var second = await RecoverAsync(RecoveryMode.Rollback);
        Assert.Multiple(() =>
        {
            Assert.That(second.Profile, Is.Null);
            Assert.That(second.Outcomes, Is.Empty);
            Assert.That(_tree.Read("/sys/kernel/mm/ksm/run"), Is.EqualTo("1"), "a finished apply is not rolled back");
        });
    }
}
