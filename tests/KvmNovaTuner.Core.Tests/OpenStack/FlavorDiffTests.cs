using KvmNovaTuner.OpenStack.Flavors;
using KvmNovaTuner.OpenStack.Nova;

namespace KvmNovaTuner.Core.Tests.OpenStack;

public sealed class FlavorDiffTests
{
    private static CatalogFlavor Wanted(string name, int vcpus = 4, int ram = 8192, int disk = 20, string? description = "tuned", params (string Key, string Value)[] specs) =>
        new(name, vcpus, ram, disk, description, specs.ToDictionary(s => s.Key, s => s.Value), "flavors/test.yaml");

    private static NovaFlavor Cloud(string name, int vcpus = 4, int ram = 8192, int disk = 20, string? description = "tuned", params (string Key, string Value)[] specs) =>
        new($"id-{name}", name, vcpus, ram, disk, description, true, specs.ToDictionary(s => s.Key, s => s.Value));

    [Test]
    public void Diff_FlavorMissingInCloud_Create()
    {
        var changes = FlavorDiff.Compute([Wanted("t.small")], []);
        Assert.That(changes.Single().Kind, Is.EqualTo(FlavorChangeKind.Create));
    }

    [Test]
    public void Diff_SpecsAndDescriptionDiffer_AddChangeRemoveAndDescription()
    {
        var changes = FlavorDiff.Compute(
            [Wanted("t", description: "new words", specs: [("hw:cpu_policy", "dedicated"), ("tuner:iothreads", "2")])],
            [Cloud("t", description: "old words", specs: [("hw:cpu_policy", "shared"), ("quota:cpu_shares", "512")])]);

        Assert.That(changes.Select(c => (c.Kind, c.Key)), Is.EqualTo(new[]
        {
            (FlavorChangeKind.DescriptionChanged, (string?)"description"),
            (FlavorChangeKind.ExtraSpecChanged, "hw:cpu_policy"),
            (FlavorChangeKind.ExtraSpecAdded, "tuner:iothreads"),
            (FlavorChangeKind.ExtraSpecRemoved, "quota:cpu_shares"),
        }));
    }

    [Test]
    public void Diff_Identical_NoChanges() =>
        Assert.That(FlavorDiff.Compute([Wanted("t", specs: [("a:b", "1")])], [Cloud("t", specs: [("a:b", "1")])]), Is.Empty);

    [Test]
    public void Diff_RamDiffers_ConflictWithFreeSuggestedNameAndNoOtherChanges()
    {
        var changes = FlavorDiff.Compute(
            [Wanted("t", ram: 16384, specs: [("tuner:iothreads", "2")])],
            [Cloud("t"), Cloud("t-v2")]);

        var conflict = changes.Single();
        Assert.That(conflict.Kind, Is.EqualTo(FlavorChangeKind.Conflict));
        Assert.That((conflict.Key, conflict.OldValue, conflict.NewValue), Is.EqualTo(("ram", "8192", "16384")));
        Assert.That(conflict.SuggestedName, Is.EqualTo("t-v3"));
        Assert.That(conflict.Describe(), Does.Contain("t-v3"));
    }

    [TestCase("m1.tuned", "m1.tuned-v2")]
    [TestCase("m1.tuned-v4", "m1.tuned-v5")]
    public void SuggestName_BumpsVersionSuffix(string name, string expected) =>
        Assert.That(FlavorDiff.SuggestName(name, new HashSet<string> { name }), Is.EqualTo(expected));
}
