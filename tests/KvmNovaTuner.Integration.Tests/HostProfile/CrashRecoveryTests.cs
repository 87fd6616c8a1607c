using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Profiles;
using static KvmNovaTuner.Integration.Tests.HostProfile.HostProfileHarness;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

public sealed class CrashRecoveryTests
{
    private sealed class SimulatedCrashException : Exception;

    private FakeHostTree _tree = null!;

    [SetUp]
    public void CreateTree() => _tree = FakeHostTree.Create();

    [TearDown]
    public void DeleteTree() => _tree.Dispose();

    /// <summary>Applies the latency profile and "crashes" right after saving the original of its third changed item.</summary>
    private async Task<ManagedItem> CrashMidApplyAsync()
    {
        var items = await ItemsAsync(_tree, "virtual-host-latency");
        var saves = 0;
        ManagedItem? crashed = null;
        await using var store = await StoreAsync(_tree);
        var applier = new HostProfileApplier(_tree.Root, store)
        {
            AfterSave = (item, _) =>
            {
                if (++saves < 3)
                {
                    return Task.CompletedTask;
                }
                crashed = item;
                throw new SimulatedCrashException();
            },
        };
        Assert.That(() => applier.ApplyAsync("virtual-host-latency", items, dryRun: false), Throws.TypeOf<SimulatedCrashException>());
        return crashed!;
    }

    [Test]
    public async Task CrashBetweenSaveAndWrite_LeavesTheJournalOpenAndTheOriginalSaved()
    {
        var crashed = await CrashMidApplyAsync();
        await using var store = await StoreAsync(_tree);
        var journal = await store.GetJournalAsync();
        var saved = await store.GetSavedAsync();
        Assert.Multiple(() =>
        {
            Assert.That(journal?.Completed, Is.False);
            Assert.That(journal?.Profile, Is.EqualTo("virtual-host-latency"));
            Assert.That(saved, Has.Count.EqualTo(3), "the third original was saved before the crash");
        });
        var original = saved.Single(s => s.HostPath == crashed.HostPath).Original;
        Assert.That(crashed.CurrentValue(_tree.Read(crashed.HostPath)), Is.EqualTo(original), "the crash came before its write");
    }

    [Test]
    public async Task AfterCrash_RollbackRestoresTheHostExactly()
    {
        var before = _tree.Values();
        await CrashMidApplyAsync();
        var restored = await RollbackAsync(_tree);
        Assert.Multiple(async () =>
        {
            Assert.That(restored, Has.Count.EqualTo(3));
            Assert.That(_tree.Values(), Is.EqualTo(before));
            await using var store = await StoreAsync(_tree);
            Assert.That(await store.GetJournalAsync(), Is.Null);
        });
    }

    [Test]
    public async Task AfterCrash_ApplyAgainFinishes_AndRollbackStillReachesTheOriginals()
    {
        var before = _tree.Values();
        await CrashMidApplyAsync();
        var outcomes = await ApplyAsync(_tree, "virtual-host-latency");
        Assert.That(outcomes.Where(o => o.Status == ItemStatus.Failed), Is.Empty);
        Assert.That((await VerifyAsync(_tree, "virtual-host-latency")).All(v => v.Pass), Is.True);
        await using (var store = await StoreAsync(_tree))
        {
            Assert.That((await store.GetJournalAsync())?.Completed, Is.True);
        }
        await RollbackAsync(_tree);
        Assert.That(_tree.Values(), Is.EqualTo(before));
    }
}
