using KvmNovaTuner.Libvirt.Testing;
using KvmNovaTuner.Libvirt.Xml;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>Reading a domain through libvirt gives the planner Nova's configured vCPU pins to verify the live ones against.</summary>
public sealed class ConfiguredPinsTests
{
    [Test]
    public void ReadDomain_DefinedWithNovasPins_ConfiguredPinsComeFromThePersistentDefinitionStoppedAndRunning()
    {
        using var host = TestDriverHost.Create(domains: 0);
        using var connection = host.Connect();
        var uuid = Guid.NewGuid().ToString();
        var xml = TestDriverHostXml.Domain("instance-pins", uuid, new Dictionary<string, string> { ["hw:cpu_policy"] = "dedicated" })
            .Replace("</vcpu>", "</vcpu><cputune><vcpupin vcpu='0' cpuset='1'/><vcpupin vcpu='1' cpuset='2'/></cputune>", StringComparison.Ordinal);
        using var domain = connection.Define(xml);

        var stopped = DomainReader.Read(domain);
        domain.Start();
        var running = DomainReader.Read(domain);

        var expected = new Dictionary<int, string> { [0] = "1", [1] = "2" };
        Assert.Multiple(() =>
        {
            Assert.That(stopped.Active, Is.False);
            Assert.That(stopped.ConfiguredVcpuPins, Is.EquivalentTo(expected));
            Assert.That(running.Active, Is.True);
            Assert.That(running.ConfiguredVcpuPins, Is.EquivalentTo(expected));
            Assert.That(DomainReader.Read(domain.GetXml(), active: true).ConfiguredVcpuPins, Is.Empty, "the XML alone does not say what was configured");
        });
    }
}
