using KvmNovaTuner.Cli.Commands.Flavors;

namespace KvmNovaTuner.Integration.Tests.OpenStack;

/// <summary>`flavors sync` against the real Nova API.</summary>
public sealed class FlavorSyncTests
{
    private string dir = "";

    [SetUp]
    public void CreateDir() => dir = Directory.CreateTempSubdirectory("knt-it-flavors").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(dir, recursive: true);

    private string Catalog(string name, int ram, string description, params (string Key, string Value)[] specs)
    {
        var path = Path.Combine(dir, "catalog.yaml");
        File.WriteAllText(path, $"""
            flavors:
              - name: {name}
                vcpus: 2
                ram: {ram}
                disk: 10
                description: {description}
                extra_specs:
            {string.Join("\n", specs.Select(s => $"          {s.Key}: \"{s.Value}\""))}
            """);
        return path;
    }

    private static Task<(int Exit, string Out, string Err)> Sync(params string[] args) =>
        TestCloud.RunCliAsync(FlavorsCommand.Create(), ["flavors", "sync", .. args, "--cloud", "admin"]);

    [Test]
    public async Task Sync_CreateThenUpdateThenConflict_CloudFollowsTheCatalogAndConflictsAreOnlyReported()
    {
        TestCloud.RequireNova();
        using var admin = TestCloud.Connect();
        var name = TestCloud.Unique("knt-it-sync");

        var file = Catalog(name, 2048, "Shared CPUs for tests", ("hw:cpu_policy", "shared"), ("quota:cpu_shares", "1024"));
        var dry = await Sync(file, "--dry-run", "--json");
        Assert.That(dry.Exit, Is.EqualTo(0), dry.Err);
        Assert.That(dry.Out, Does.Contain("\"kind\":\"create\"").And.Contain("\"applied\":false"));
        Assert.That((await admin.Nova.ListFlavorsAsync()).Select(f => f.Name), Does.Not.Contain(name), "a dry run sends nothing");

        var create = await Sync(file);
        Assert.That(create.Exit, Is.EqualTo(0), create.Err);
        var created = (await admin.Nova.ListFlavorsAsync()).Single(f => f.Name == name);
        Assert.That((created.Vcpus, created.RamMb, created.DiskGb, created.Description), Is.EqualTo((2, 2048, 10, (string?)"Shared CPUs for tests")));
        Assert.That(created.ExtraSpecs, Is.EquivalentTo(new Dictionary<string, string> { ["hw:cpu_policy"] = "shared", ["quota:cpu_shares"] = "1024" }));

        Catalog(name, 2048, "Shared CPUs, more IO threads", ("hw:cpu_policy", "shared"), ("quota:cpu_shares", "2048"), ("tuner:iothreads", "2"));
        var update = await Sync(file);
        Assert.That(update.Exit, Is.EqualTo(0), update.Err);
        Assert.That(update.Out, Does.Contain("change quota:cpu_shares from 1024 to 2048").And.Contain("add tuner:iothreads=2").And.Contain("description changes"));
        var updated = await admin.Nova.GetFlavorAsync(created.Id);
        Assert.That(updated.Description, Is.EqualTo("Shared CPUs, more IO threads"));
        Assert.That(updated.ExtraSpecs, Is.EquivalentTo(new Dictionary<string, string> { ["hw:cpu_policy"] = "shared", ["quota:cpu_shares"] = "2048", ["tuner:iothreads"] = "2" }));

        Catalog(name, 2048, "Shared CPUs, more IO threads", ("hw:cpu_policy", "shared"));
        var remove = await Sync(file);
        Assert.That(remove.Out, Does.Contain("remove quota:cpu_shares").And.Contain("remove tuner:iothreads"));
        Assert.That((await admin.Nova.GetFlavorAsync(created.Id)).ExtraSpecs.Keys, Is.EquivalentTo(new[] { "hw:cpu_policy" }));

        Catalog(name, 4096, "Shared CPUs, more IO threads", ("hw:cpu_policy", "shared"));
        var conflict = await Sync(file);
        Assert.That(conflict.Exit, Is.EqualTo(1));
        Assert.That(conflict.Out, Does.Contain("CONFLICT ram").And.Contain($"{name}-v2"));
        var after = await admin.Nova.GetFlavorAsync(created.Id);
        Assert.That(after.RamMb, Is.EqualTo(2048), "the flavor was neither changed nor recreated");

        var again = await Sync(Catalog(name, 2048, "Shared CPUs, more IO threads", ("hw:cpu_policy", "shared")));
        Assert.That((again.Exit, again.Out.Trim()), Is.EqualTo((0, "1 flavors already in sync")));
        await admin.Nova.DeleteFlavorAsync(created.Id);
    }

    [Test]
    public async Task Sync_InvalidFlavorInCatalog_NothingSentExit1()
    {
        TestCloud.RequireNova();
        using var admin = TestCloud.Connect();
        var name = TestCloud.Unique("knt-it-invalid");

        var result = await Sync(Catalog(name, 2048, "Broken", ("hw:cpu_policy", "sometimes")));

        Assert.That(result.Exit, Is.EqualTo(1));
        Assert.That(result.Err, Does.Contain("hw:cpu_policy").And.Contain("nothing was sent"));
        Assert.That((await admin.Nova.ListFlavorsAsync()).Select(f => f.Name), Does.Not.Contain(name));
    }
}
