using KvmNovaTuner.HostTuning.Profiles;

namespace KvmNovaTuner.Core.Tests.HostProfile;

public sealed class ShippedProfilesTests
{
    private static async Task<ProfileCatalog> CatalogAsync() => await ProfileCatalog.LoadAsync([]);

    [Test]
    public async Task Catalog_ShipsTheThreeVirtualHostProfiles()
    {
        var catalog = await CatalogAsync();
        Assert.That(catalog.Profiles.Keys, Is.SupersetOf(new[] { "virtual-host", "virtual-host-dense", "virtual-host-latency" }));
    }

    [Test]
    public async Task Dense_RunsKsmAdaptivelyWithThpMadvise()
    {
        var dense = (await CatalogAsync()).Resolve("virtual-host-dense");
        Assert.Multiple(() =>
        {
            Assert.That(dense.Chain, Is.EqualTo(new[] { "virtual-host", "virtual-host-dense" }));
            Assert.That(dense.Settings["ksm.run"], Is.EqualTo("1"));
            Assert.That(dense.Settings["controller.ksm_adaptive"], Is.EqualTo("true"));
            Assert.That(dense.Settings["vm.transparent_hugepages"], Is.EqualTo("madvise"));
        });
    }

    [Test]
    public async Task Latency_StopsKsmWithUnmerge_NoThp_NoNumaBalancing_ReservesHugepages()
    {
        var latency = (await CatalogAsync()).Resolve("virtual-host-latency");
        Assert.Multiple(() =>
        {
            Assert.That(latency.Settings["ksm.run"], Is.EqualTo("2"));
            Assert.That(latency.Settings["vm.transparent_hugepages"], Is.EqualTo("never"));
            Assert.That(latency.Settings["sysctl.kernel.numa_balancing"], Is.EqualTo("0"));
            Assert.That(latency.Settings, Contains.Key("hugepages.2048kB"));
            Assert.That(latency.Settings["sysctl.vm.swappiness"], Is.EqualTo("10"), "inherited from virtual-host");
        });
    }

    [Test]
    public async Task ExtraDirectory_OverridesAShippedProfile()
    {
        var dir = Directory.CreateTempSubdirectory("knt-profiles-");
        try
        {
            await File.WriteAllTextAsync(Path.Join(dir.FullName, "virtual-host.conf"), "[sysctl]\nvm.swappiness=1\n");
            var catalog = await ProfileCatalog.LoadAsync([dir.FullName]);
            Assert.That(catalog.Resolve("virtual-host-dense").Settings["sysctl.vm.swappiness"], Is.EqualTo("1"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
