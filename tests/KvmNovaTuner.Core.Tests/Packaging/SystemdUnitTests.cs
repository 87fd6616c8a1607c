using KvmNovaTuner.Agent.Configuration;

namespace KvmNovaTuner.Core.Tests.Packaging;

/// <summary>The systemd unit and the example configuration shipped in deploy/.</summary>
public sealed class SystemdUnitTests
{
    private static ILookup<string, string> Unit()
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("deploy", "systemd", "kvm-nova-tuner.service"));
        return lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith('[') && l.Contains('='))
            .Select(l => (Key: l[..l.IndexOf('=')], Value: l[(l.IndexOf('=') + 1)..]))
            .ToLookup(p => p.Key, p => p.Value);
    }

    [Test]
    public void Unit_IsNotifyType_RestartsOnFailure_AndHasAWatchdog()
    {
        var unit = Unit();
        Assert.Multiple(() =>
        {
            Assert.That(unit["Type"].Single(), Is.EqualTo("notify"));
            Assert.That(unit["Restart"].Single(), Is.EqualTo("on-failure"));
            Assert.That(unit["WatchdogSec"].Single(), Does.Match(@"^\d+s$"));
            Assert.That(unit["ExecStart"].Single(), Does.Contain(" agent --config /etc/kvm-nova-tuner/kvm-nova-tuner.conf"));
        });
    }

    [Test]
    public void Unit_DoesNotRestartAfterAConfigurationError()
    {
        // The agent exits 2 on a configuration error at start: restarting every 5 s would retry forever.
        Assert.That(Unit()["RestartPreventExitStatus"].SelectMany(v => v.Split(' ')), Does.Contain("2"));
    }

    [Test]
    public void Unit_HardeningStillAllowsSocketsAndSysfsTuning()
    {
        var unit = Unit();
        var writable = string.Join(' ', unit["ReadWritePaths"]);
        Assert.Multiple(() =>
        {
            Assert.That(unit["ProtectSystem"].Single(), Is.EqualTo("strict"));
            Assert.That(unit["NoNewPrivileges"].Single(), Is.EqualTo("yes"));
            Assert.That(unit["RestrictAddressFamilies"].Single(), Does.Contain("AF_UNIX"));
            Assert.That(writable, Does.Contain("/run/libvirt").And.Contain("/run/openvswitch"));
            Assert.That(writable, Does.Contain("/sys/kernel/mm/ksm").And.Contain("/proc/sys/vm").And.Contain("/var/lib/kvm-nova-tuner"));
        });
    }

    [Test]
    public void Unit_StopTimeout_LeavesRoomForTheAgentsShutdownTimeout()
    {
        var stop = DurationText.TryParse(Unit()["TimeoutStopSec"].Single(), out var s) ? s : TimeSpan.Zero;
        var example = TunerConfiguration.Load(RepositoryFiles.PathOf("deploy", "kvm-nova-tuner.conf.example"), [], new System.Collections.Hashtable(), "h").Validate();
        Assert.That(stop, Is.GreaterThan(example.Agent.ShutdownTimeout));
    }

    [Test]
    public void ExampleConfiguration_IsValidAndCoversEveryNonDefaultSection()
    {
        var configuration = TunerConfiguration.Load(RepositoryFiles.PathOf("deploy", "kvm-nova-tuner.conf.example"), [], new System.Collections.Hashtable(), "h");
        var options = configuration.Validate();
        var text = File.ReadAllText(RepositoryFiles.PathOf("deploy", "kvm-nova-tuner.conf.example"));
        Assert.Multiple(() =>
        {
            Assert.That(options.Agent.HealthListen, Does.StartWith("127.0.0.1:"));
            foreach (var setting in SettingCatalog.All)
            {
                Assert.That(text, Does.Contain($"{setting.Key} ="), $"example file documents {setting.Display}");
            }
            Assert.That(configuration.Describe().Where(r => r.Source == "unknown"), Is.Empty);
        });
    }
}
