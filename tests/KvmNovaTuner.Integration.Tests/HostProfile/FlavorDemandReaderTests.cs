using KvmNovaTuner.HostTuning.Flavors;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

public sealed class FlavorDemandReaderTests
{
    [Test]
    public async Task Read_FlavorCatalogDirectory_CombinesEveryFlavorsExtraSpecs()
    {
        var dir = Directory.CreateTempSubdirectory("knt-flavors-");
        try
        {
            await File.WriteAllTextAsync(Path.Join(dir.FullName, "a.yaml"), """
                flavors:
                  - name: pinned.hp
                    vcpus: 4
                    ram: 4096
                    disk: 10
                    extra_specs:
                      hw:cpu_policy: dedicated
                      hw:mem_page_size: 1GB
                  - name: general
                    vcpus: 1
                    ram: 512
                    disk: 1
                """);
            await File.WriteAllTextAsync(Path.Join(dir.FullName, "b.yaml"), "flavors:\n  - name: dense\n    extra_specs:\n      tuner:ksm: \"on\"\n");
            var demand = await FlavorDemandReader.ReadAsync([dir.FullName]);
            Assert.Multiple(() =>
            {
                Assert.That(demand.Pinned, Is.True);
                Assert.That(demand.Dense, Is.True);
                Assert.That(demand.HugepageSizesKb, Is.EquivalentTo(new[] { 1048576L }));
            });
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Test]
    public void Read_FileWithoutFlavorsList_IsAFormatErrorNamingTheFile()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "servers: []\n");
            Assert.That(() => FlavorDemandReader.ReadAsync([file]), Throws.TypeOf<FormatException>().With.Message.Contains(file));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task Read_NoPaths_IsNoDemand()
    {
        Assert.That((await FlavorDemandReader.ReadAsync([])).Known, Is.False);
    }
}
