using KvmNovaTuner.HostTuning.Flavors;
using KvmNovaTuner.Cli.Commands.Flavors;
using KvmNovaTuner.Core.Specs;

namespace KvmNovaTuner.Core.Tests.Flavors;

public sealed class CatalogTests
{
    private static IReadOnlyList<FlavorDefinition> AllFlavors() =>
        [.. RepositoryFiles.CatalogFiles.SelectMany(f => FlavorCatalogFile.Parse(f, File.ReadAllText(f)).Flavors)];

    [Test]
    public void Catalog_EveryFileHasTheFlavorsListAndNoShapeProblem()
    {
        Assert.That(RepositoryFiles.CatalogFiles, Is.Not.Empty);
        foreach (var file in RepositoryFiles.CatalogFiles)
        {
            var catalog = FlavorCatalogFile.Parse(file, File.ReadAllText(file));
            Assert.That(catalog.ShapeProblems, Is.Empty, file);
            Assert.That(catalog.Flavors, Is.Not.Empty, file);
        }
    }

    [Test]
    public void Catalog_EveryFlavorValidatesWithoutErrorOrWarning()
    {
        foreach (var flavor in AllFlavors())
        {
            Assert.That(FlavorValidator.Validate(flavor), Is.Empty, flavor.Name);
        }
    }

    [Test]
    public void Catalog_EveryFlavorHasAPlainWordsDescription()
    {
        foreach (var flavor in AllFlavors())
        {
            Assert.That(flavor.Description, Is.Not.Null.And.Length.GreaterThan(60), flavor.Name);
        }
    }

    [Test]
    public void Catalog_FlavorNamesAreUnique() =>
        Assert.That(AllFlavors().Select(f => f.Name), Is.Unique);

    [Test]
    public void Catalog_HoldsEveryRequiredKindOfFlavor()
    {
        var specs = AllFlavors().Select(f => SpecParser.Parse(f.ExtraSpecs, f.Vcpus, f.RamMb).Spec).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(specs.Any(s => s.CpuPolicy == CpuPolicy.Shared && s.Inbound is null && s.Ksm is null), Is.True, "a general shared flavor");
            Assert.That(specs.Any(s => s.CpuPolicy == CpuPolicy.Dedicated && s.EmulatorThreadsPolicy == EmulatorThreadsPolicy.Isolate), Is.True, "CPU-dedicated with emulator isolation");
            Assert.That(specs.Any(s => s.NumaCells.Count == 2 && s.MemPageSize == PageSize.OfKb(2048)), Is.True, "two-node NUMA with 2 MB pages");
            Assert.That(specs.Any(s => s.MemPageSize == PageSize.OfKb(1048576)), Is.True, "1 GB pages");
            Assert.That(specs.Any(s => s.Realtime), Is.True, "realtime");
            Assert.That(specs.Any(s => s.IoThreads > 0 && s.DiskIo == "native" && s.DiskBurst.Keys.Any(k => k.EndsWith("_max", StringComparison.Ordinal))), Is.True, "IO optimised");
            Assert.That(specs.Where(s => s.Inbound is not null && s.Outbound is not null).Select(s => s.Inbound!.Average).Distinct().Count(), Is.GreaterThanOrEqualTo(3), "three network QoS tiers");
            Assert.That(specs.Any(s => s.Ksm == true), Is.True, "a KSM-friendly high-density flavor");
        });
    }
}
