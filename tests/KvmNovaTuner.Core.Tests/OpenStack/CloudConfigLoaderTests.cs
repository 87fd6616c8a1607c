using KvmNovaTuner.OpenStack.Auth;

namespace KvmNovaTuner.Core.Tests.OpenStack;

public sealed class CloudConfigLoaderTests
{
    private string root = "";

    [SetUp]
    public void CreateDirs()
    {
        root = Path.Combine(Path.GetTempPath(), $"knt-clouds-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "cwd"));
        Directory.CreateDirectory(Path.Combine(root, "home", ".config", "openstack"));
    }

    [TearDown]
    public void RemoveDirs() => Directory.Delete(root, recursive: true);

    private CloudConfigLoader Loader(Dictionary<string, string>? env = null) =>
        new(k => env is not null && env.TryGetValue(k, out var v) ? v : null, Path.Combine(root, "cwd"), Path.Combine(root, "home"));

    private void Write(string relative, string cloud, string extra = "") => File.WriteAllText(Path.Combine(root, relative), $"""
        clouds:
          {cloud}:
            auth:
              auth_url: http://ks:5000
              username: u-{relative.Length}
              password: pw
              project_name: p
            region_name: RegionTwo
        {extra}
        """);

    [Test]
    public void Load_CloudInCwdAndHome_CurrentDirectoryWins()
    {
        Write("cwd/clouds.yaml", "c1");
        Write("home/.config/openstack/clouds.yaml", "c1");

        var c = Loader().Load("c1");

        Assert.That(c.Username, Is.EqualTo("u-15"));
        Assert.That((c.RegionName, c.IdentityV3Url), Is.EqualTo(("RegionTwo", "http://ks:5000/v3")));
    }

    [Test]
    public void ForProcess_ConfiguredCloudsYaml_IsSearchedFirstLikeOsClientConfigFile()
    {
        Write("configured.yaml", "agent-cloud");

        var c = CloudConfigLoader.ForProcess(Path.Combine(root, "configured.yaml")).Load("agent-cloud");

        Assert.That((c.CloudName, c.Username), Is.EqualTo(("agent-cloud", "u-15")));
        Assert.That(CloudConfigLoader.ForProcess(Path.Combine(root, "configured.yaml")).SearchPath()[0], Is.EqualTo(Path.Combine(root, "configured.yaml")));
    }

    [Test]
    public void Load_NoArgument_UsesOsCloud()
    {
        Write("home/.config/openstack/clouds.yaml", "fromenv");
        Assert.That(Loader(new() { ["OS_CLOUD"] = "fromenv" }).Load().CloudName, Is.EqualTo("fromenv"));
    }

    [Test]
    public void Load_UnknownCloud_ErrorListsSearchPath()
    {
        var e = Assert.Throws<CloudConfigException>(() => Loader().Load("nope"));
        Assert.That(e!.Message, Does.Contain("'nope'").And.Contain("/etc/openstack/clouds.yaml"));
    }

    [Test]
    public void Load_OsVariables_ApplicationCredential()
    {
        var c = Loader(new()
        {
            ["OS_AUTH_URL"] = "https://ks/v3", ["OS_APPLICATION_CREDENTIAL_ID"] = "id1", ["OS_APPLICATION_CREDENTIAL_SECRET"] = "sec",
            ["OS_INTERFACE"] = "internal", ["OS_CACERT"] = "/ca.pem",
        }).Load();

        Assert.That(c.UsesApplicationCredential, Is.True);
        Assert.That((c.Interface, c.CaCertFile, c.VerifyTls), Is.EqualTo(("internal", (string?)"/ca.pem", true)));
    }

    [TestCase("verify: false", false)]
    [TestCase("insecure: true", false)]
    [TestCase("", true)]
    public void Load_TlsVerification_OffOnlyWhenAsked(string setting, bool verify)
    {
        Write("cwd/clouds.yaml", "c", setting.Length == 0 ? "" : "    " + setting);
        Assert.That(Loader().Load("c").VerifyTls, Is.EqualTo(verify));
    }

    [Test]
    public void Load_NothingConfigured_ErrorSaysWhatToSet()
    {
        var e = Assert.Throws<CloudConfigException>(() => Loader().Load());
        Assert.That(e!.Message, Does.Contain("OS_CLOUD"));
    }
}
