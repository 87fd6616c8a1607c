using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Profiles;
using KvmNovaTuner.HostTuning.State;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

/// <summary>Shared steps of the host profile tests: plan a shipped profile on a fake tree, open its store, apply.</summary>
internal static class HostProfileHarness
{
    public static async Task<IReadOnlyList<ManagedItem>> ItemsAsync(FakeHostTree tree, string profile)
    {
        var plan = await ProfilePlanning.PlanAsync(tree.Root, await ProfileCatalog.LoadAsync([]), profile);
        Assert.That(plan.Items.Problems, Is.Empty);
        return plan.Items.Items;
    }

    public static Task<HostStateStore> StoreAsync(FakeHostTree tree) => HostStateStore.OpenAsync(tree.StateDir, TimeProvider.System);

    public static async Task<IReadOnlyList<ItemOutcome>> ApplyAsync(FakeHostTree tree, string profile, bool dryRun = false)
    {
        await using var store = await StoreAsync(tree);
        return await new HostProfileApplier(tree.Root, store).ApplyAsync(profile, await ItemsAsync(tree, profile), dryRun);
    }

    public static async Task<IReadOnlyList<ItemOutcome>> RollbackAsync(FakeHostTree tree)
    {
        await using var store = await StoreAsync(tree);
        return await new HostProfileApplier(tree.Root, store).RollbackAsync();
    }

    public static async Task<IReadOnlyList<VerifyOutcome>> VerifyAsync(FakeHostTree tree, string profile) =>
        await new HostProfileApplier(tree.Root, null).VerifyAsync(await ItemsAsync(tree, profile));
}
