using System.Collections;
using KvmNovaTuner.Agent.Configuration;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>The layered configuration: INI file, environment, overrides, validation messages and redaction.</summary>
public sealed class ConfigurationTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("knt-config-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private string WriteConfig(string text)
    {
        var path = Path.Combine(_dir, "kvm-nova-tuner.conf");
        File.WriteAllText(path, text);
        return path;
    }

    private static TunerConfiguration Load(string? file, string[]? overrides = null, IDictionary? env = null) =>
        TunerConfiguration.Load(file, overrides ?? [], env ?? new Hashtable(), machineHostName: "machine-a");

    [Test]
    public void Load_IniSections_AreReadIntoOptions()
    {
        var file = WriteConfig("""
            [DEFAULT]
            host = compute-7
            log_format = json
            [rabbitmq]
            url = amqp://nova:pw@broker.example:5672/
            [libvirt]
            uri = test:///default
            [ovs]
            ovsdb = tcp:127.0.0.1:6640
            [host]
            hugepages_2m_budget = 512
            [agent]
            reconcile_interval = 5m
            shutdown_timeout = 12
            """);

        var options = Load(file).Validate();

        Assert.Multiple(() =>
        {
            Assert.That(options.Default.Host, Is.EqualTo("compute-7"));
            Assert.That(options.Default.LogFormat, Is.EqualTo(LogFormat.Json));
            Assert.That(options.RabbitMq.Url.Host, Is.EqualTo("broker.example"));
            Assert.That(options.Libvirt.Uri, Is.EqualTo("test:///default"));
            Assert.That(options.Ovs.Ovsdb, Is.EqualTo("tcp:127.0.0.1:6640"));
            Assert.That(options.Host.Hugepages2MBudget, Is.EqualTo(512));
            Assert.That(options.Agent.ReconcileInterval, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(options.Agent.ShutdownTimeout, Is.EqualTo(TimeSpan.FromSeconds(12)));
        });
    }

    [Test]
    public void Load_NoFile_UsesDefaultsAndMachineHostName()
    {
        var options = TunerConfiguration.Load(null, [], new Hashtable(), "machine-a") is var c && !c.FileExists ? c.Validate() : null;

        Assert.That(options, Is.Not.Null, "the default file must be optional");
        Assert.Multiple(() =>
        {
            Assert.That(options!.Default.Host, Is.EqualTo("machine-a"));
            Assert.That(options.Agent.HealthListen, Does.StartWith("127.0.0.1:"), "health endpoint must be loopback by default");
        });
    }

    [Test]
    public void Load_NamedFileMissing_FailsNamingTheFile()
    {
        var missing = Path.Combine(_dir, "nope.conf");
        Assert.That(() => Load(missing), Throws.TypeOf<ConfigurationException>().With.Message.Contains(missing));
    }

    [Test]
    public void Load_EnvironmentBeatsFile_AndOverrideBeatsEnvironment()
    {
        var file = WriteConfig("[DEFAULT]\nhost = from-file\n[libvirt]\nuri = qemu:///system\n");
        var env = new Hashtable { ["KVM_NOVA_TUNER__DEFAULT__HOST"] = "from-env", ["KVM_NOVA_TUNER__LIBVIRT__URI"] = "test:///env", ["UNRELATED"] = "x" };

        var options = Load(file, ["libvirt.uri=test:///override"], env).Validate();

        Assert.Multiple(() =>
        {
            Assert.That(options.Default.Host, Is.EqualTo("from-env"));
            Assert.That(options.Libvirt.Uri, Is.EqualTo("test:///override"));
        });
    }

    [TestCase("agent.reconcile_interval=often", "[agent] reconcile_interval = 'often'")]
    [TestCase("agent.health_listen=nowhere", "[agent] health_listen = 'nowhere'")]
    [TestCase("DEFAULT.log_format=xml", "[DEFAULT] log_format = 'xml'")]
    [TestCase("host.root=relative/path", "[host] root = 'relative/path'")]
    [TestCase("host.hugepages_1g_budget=-3", "[host] hugepages_1g_budget = '-3'")]
    [TestCase("ovs.ovsdb=ssl:1.2.3.4", "[ovs] ovsdb = 'ssl:1.2.3.4'")]
    [TestCase("rabbitmq.use_router=maybe", "[rabbitmq] use_router = 'maybe'")]
    public void Validate_BadValue_NamesSectionKeyAndValue(string setting, string expected)
    {
        var configuration = Load(null, [setting]);
        Assert.That(() => configuration.Validate(), Throws.TypeOf<ConfigurationException>().With.Message.Contains(expected));
    }

    [Test]
    public void Validate_SeveralBadValues_ReportsEveryOne()
    {
        var configuration = Load(null, ["agent.shutdown_timeout=x", "agent.health_listen=bad"]);
        var error = Assert.Throws<ConfigurationException>(() => configuration.Validate())!;
        Assert.That(error.Message, Does.Contain("shutdown_timeout = 'x'").And.Contain("health_listen = 'bad'"));
    }

    [Test]
    public void Validate_BlankValue_FallsBackToDefault()
    {
        var options = Load(null, ["libvirt.uri= "]).Validate();
        Assert.That(options.Libvirt.Uri, Is.EqualTo("qemu:///system"));
    }

    [Test]
    public void Validate_BadBrokerUrl_NeverShowsThePassword()
    {
        var configuration = Load(null, ["rabbitmq.url=http://nova:hunter2@broker/"]);
        var error = Assert.Throws<ConfigurationException>(() => configuration.Validate())!;
        Assert.That(error.Message, Does.Contain("[rabbitmq] url").And.Contain("nova:***@broker").And.Not.Contain("hunter2"));
    }

    [Test]
    public void Describe_RedactsBrokerPasswordAndSecretKeys_AndShowsUnknownKeys()
    {
        var file = WriteConfig("[rabbitmq]\nurl = amqp://nova:hunter2@b1:5672/\n[openstack]\napp_secret = s3cr3t\n[agent]\nhealth_listne = 127.0.0.1:1\n");

        var rows = Load(file).Describe();
        var all = string.Join("\n", rows.Select(r => $"{r.Section}.{r.Key}={r.Value}/{r.Source}"));

        Assert.Multiple(() =>
        {
            Assert.That(all, Does.Not.Contain("hunter2").And.Not.Contain("s3cr3t"));
            Assert.That(all, Does.Contain("rabbitmq.url=amqp://nova:***@b1:5672//configured"));
            Assert.That(all, Does.Contain("openstack.app_secret=***/unknown"));
            Assert.That(all, Does.Contain("agent.health_listne=127.0.0.1:1/unknown"));
            Assert.That(rows.Select(r => (r.Section, r.Key)), Is.SupersetOf(SettingCatalog.All.Select(s => (s.Section, s.Key))));
        });
    }

    [Test]
    public void Override_RepeatedKey_LastOneWins()
    {
        var options = Load(null, ["agent.health_listen=127.0.0.1:1", "AGENT.health_listen=127.0.0.1:2"]).Validate();
        Assert.That(options.Agent.HealthListen, Is.EqualTo("127.0.0.1:2"));
    }

    [Test]
    public void Override_WithoutSectionOrEquals_IsRejected()
    {
        Assert.That(() => Load(null, ["host=x"]), Throws.TypeOf<ConfigurationException>().With.Message.Contains("section.key=value"));
    }
}
