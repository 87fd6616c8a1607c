using KvmNovaTuner.Cli.Commands.Flavors;
using KvmNovaTuner.Integration.Tests.OpenStack;
using KvmNovaTuner.Integration.Tests.Support;
using KvmNovaTuner.OpenStack;
using KvmNovaTuner.OpenStack.Reporting;
using Microsoft.Extensions.Logging.Abstractions;
using OpenQA.Selenium;
using YamlDotNet.RepresentationModel;

namespace KvmNovaTuner.Integration.Tests.Horizon;

/// <summary>
/// What a tenant sees of the tuner in Debian's Horizon (scripts/services/horizon.sh), in a real browser: the catalog's
/// flavors (flavors/, synced into Nova with `flavors sync`) in Launch Instance → Flavor, and the tuner's report on a
/// tuned server (written by the product's <see cref="StatusReporter"/>) on that server's detail page.
/// Horizon 23's flavor step lists name, VCPUs, RAM and disks only: neither a flavor's description nor its extra specs
/// (those only through Glance metadata definitions, which know no tuner:* key), so the name carries the tuning class.
/// </summary>
[TestFixture, NonParallelizable, Category("Horizon")]
public sealed class TenantViewTests
{
    private const string ServerFlavor = "kn.general.medium";
    private OpenStackConnection admin = null!;
    private OpenStackConnection tenant = null!;
    private HorizonBrowser browser = null!;
    private string serverId = null!;
    private string? imageId;
    private IReadOnlyList<(string Name, string Description)> catalog = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        ServiceEnvironment.Require("KNT_HORIZON_URL", "Horizon");
        TestCloud.RequireNova();
        var flavorsDir = Path.GetDirectoryName(RepoFiles.Find("flavors/compute.yaml") ?? throw new InconclusiveException("no flavors/ in this checkout"))!;
        catalog = ReadCatalog(flavorsDir);
        admin = TestCloud.Connect();
        var sync = await TestCloud.RunCliAsync(FlavorsCommand.Create(), "flavors", "sync", flavorsDir, "--cloud", "admin");
        Assert.That(sync.Exit, Is.EqualTo(0), sync.Err);

        var name = ServiceEnvironment.Require("KNT_HORIZON_TENANT", "Horizon");
        var password = File.ReadAllText(ServiceEnvironment.Require("KNT_HORIZON_TENANT_PASSWORD_FILE", "Horizon")).Trim();
        tenant = new OpenStackConnection(TestCloud.Credentials("KNT_OS_ADMIN_CLOUD") with { CloudName = "tenant", Username = name, Password = password, ProjectName = name });
        serverId = await BootTunedServerAsync();

        browser = HorizonBrowser.Start();
        browser.LogIn(name, password);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        browser?.Dispose();
        if (serverId is not null) await tenant.Nova.DeleteServerAsync(serverId);
        if (imageId is not null) await tenant.Glance.DeleteImageAsync(imageId);
        tenant?.Dispose();
        admin?.Dispose();
    }

    /// <summary>The tenant's server, booted on the catalog's general flavor, with the report the agent writes after applying.</summary>
    private async Task<string> BootTunedServerAsync()
    {
        var image = await tenant.Glance.CreateImageAsync(TestCloud.Unique("knt-horizon-image"));
        imageId = image.Id;
        await tenant.Glance.UploadAsync(image.Id, new byte[1024]);
        var flavor = (await tenant.Nova.ListFlavorsAsync()).Single(f => f.Name == ServerFlavor);
        var id = await tenant.Nova.CreateServerAsync(TestCloud.Unique("knt-horizon-tuned"), image.Id, flavor.Id);
        await BootedServer.WaitForStatusAsync(admin, id, "ACTIVE", TestCloud.SlowCloud);

        var outbox = Path.Combine(Directory.CreateTempSubdirectory("knt-horizon").FullName, "outbox.db");
        var reporter = new StatusReporter(new OutboxStore(outbox), new NovaMetadataWriter(admin.Nova), TimeProvider.System, NullLogger.Instance);
        reporter.Report(id, TunerStatus.Applied, "cpu_shares=2048 verified; multiqueue verified");
        reporter.Put(id, TunerMetadata.SnapshotKey, "knt-horizon-snap 2026-12-02T16:00:00Z");
        Assert.That(await reporter.DrainOnceAsync(), Is.EqualTo(3), "the reporter delivered status, detail and snapshot to Nova");
        return id;
    }

    [Test]
    public void LaunchInstanceFlavorStep_ListsEveryCatalogFlavorByItsName_ButNotItsDescription()
    {
        browser.Open("/project/instances/");
        browser.WaitFor(By.Id("instances__action_launch-ng")).Click();
        browser.Until(d => d.FindElements(By.CssSelector(".wizard-nav li a, .wizard-nav li span")).FirstOrDefault(e => e.Displayed && e.Text.Trim() == "Flavor"),
            "the Launch Instance wizard").Click();
        browser.Until(d => catalog.All(f => d.PageSource.Contains(f.Name, StringComparison.Ordinal)),
            "every catalog flavor in the flavor step");
        var step = browser.Text(By.CssSelector("[ng-controller='LaunchInstanceFlavorController as ctrl']"));
        browser.Screenshot("horizon-launch-instance-flavors");

        Assert.Multiple(() =>
        {
            foreach (var (name, description) in catalog)
            {
                Assert.That(step, Does.Contain(name), $"the tenant sees {name} in Launch Instance → Flavor");
                Assert.That(step, Does.Not.Contain(FirstWords(description)), $"Horizon 23 shows no flavor description (here {name}'s)");
            }
            Assert.That(step, Does.Not.Contain("tuner:"), "Horizon shows no extra spec of the tuner in the flavor step");
        });
    }

    [Test]
    public void ServerDetailPage_ShowsTheTunersStatusDetailAndSnapshot_AsMetadata()
    {
        browser.Open($"/project/instances/{serverId}/");
        browser.Until(d => d.PageSource.Contains(TunerMetadata.StatusKey, StringComparison.Ordinal), "the server's metadata");
        var overview = browser.Text(By.TagName("body"));
        browser.Screenshot("horizon-server-tuner-status");

        Assert.Multiple(() =>
        {
            // Horizon 23 finds the server's flavor by id; Nova >= 2.47 embeds the flavor without one, so the tenant
            // sees no flavor here: the tuner's metadata below is the only tuning the detail page shows.
            Assert.That(overview, Does.Match(@"Flavor\s+Not available"), "Horizon 23 shows no flavor on the detail page");
            Assert.That(overview, Does.Match(@"tuner:status\s+applied"), "tuner:status and its value");
            Assert.That(overview, Does.Match(@"tuner:detail\s+cpu_shares=2048 verified; multiqueue verified"), "tuner:detail and its value");
            Assert.That(overview, Does.Match(@"tuner:snapshot\s+knt-horizon-snap"), "tuner:snapshot and its value");
        });
    }

    private static string FirstWords(string text) => string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(4));

    private static List<(string Name, string Description)> ReadCatalog(string dir)
    {
        var flavors = new List<(string, string)>();
        foreach (var file in Directory.GetFiles(dir, "*.yaml").Order(StringComparer.Ordinal))
        {
            var yaml = new YamlStream();
            using (var reader = File.OpenText(file)) yaml.Load(reader);
            var root = (YamlMappingNode)yaml.Documents[0].RootNode;
            foreach (var flavor in ((YamlSequenceNode)root["flavors"]).Cast<YamlMappingNode>())
            {
                flavors.Add((((YamlScalarNode)flavor["name"]).Value!, ((YamlScalarNode)flavor["description"]).Value!));
            }
        }
        return flavors;
    }
}
