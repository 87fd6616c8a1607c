using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Xml;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>The P/Invoke binding against libvirt's test driver with a generated host description.</summary>
public sealed class LibvirtBindingTests
{
    [Test]
    public void ListAllDomains_ReturnsThePredefinedDomainsWithTheirUuids()
    {
        using var host = TestDriverHost.Create(domains: 3);
        using var connection = host.Connect();

        var domains = connection.ListAllDomains();
        try
        {
            Assert.That(domains.Select(d => d.Uuid), Is.EquivalentTo(host.Uuids));
            Assert.That(domains.All(d => d.IsActive), Is.True);
        }
        finally
        {
            domains.ToList().ForEach(d => d.Dispose());
        }
    }

    [Test]
    public void LookupByUuid_UnknownUuid_ReturnsNull()
    {
        using var host = TestDriverHost.Create(domains: 1);
        using var connection = host.Connect();

        Assert.That(connection.LookupByUuid(Guid.NewGuid().ToString()), Is.Null);
    }

    [Test]
    public void Open_BadUri_ThrowsLibvirtExceptionWithLibvirtsCodeAndMessage()
    {
        TestDriverHost.RequireLibvirt();

        var error = Assert.Throws<LibvirtException>(() => LibvirtConnection.Open("test:///nonexistent/knt/host.xml"));

        Assert.That(error!.Code, Is.GreaterThan(0));
        Assert.That(error.LibvirtMessage, Is.Not.Empty);
        Assert.That(error.Message, Does.Contain("virConnectOpen"));
    }

    [Test]
    public void Define_WithValidation_RejectsXmlOutsideLibvirtsSchema()
    {
        using var host = TestDriverHost.Create(domains: 1);
        using var connection = host.Connect();
        using var domain = connection.LookupByUuid(host.Uuids[0])!;
        var invalid = domain.GetXml(inactive: true).Replace("<vcpu", "<knt-unknown-element/><vcpu", StringComparison.Ordinal);

        var error = Assert.Throws<LibvirtException>(() => connection.Define(invalid, validate: true));

        Assert.That(error!.LibvirtMessage, Does.Contain("schema").IgnoreCase.Or.Contain("relax").IgnoreCase);
    }

    [Test]
    public void GetXml_LiveDomain_CarriesNovaFlavorAndExtraSpecs()
    {
        var specs = new Dictionary<string, string> { ["hw:cpu_policy"] = "dedicated", ["tuner:iothreads"] = "2" };
        using var host = TestDriverHost.Create(domains: 1, extraSpecs: specs);
        using var connection = host.Connect();
        using var domain = connection.LookupByUuid(host.Uuids[0])!;

        var state = DomainReader.Read(domain.GetXml(), domain.IsActive);

        Assert.That(state.Nova?.FlavorName, Is.EqualTo("tuned.medium"));
        Assert.That(state.Nova?.FlavorId, Is.EqualTo("f-tuned-medium"));
        Assert.That(state.Nova?.ExtraSpecs, Is.EquivalentTo(specs));
        Assert.That(state.Disks.Single().TargetDev, Is.EqualTo("vda"));
    }

    [Test]
    public void TypedParameters_RoundTripThroughTheDriver()
    {
        using var host = TestDriverHost.Create(domains: 1);
        using var connection = host.Connect();
        using var domain = connection.LookupByUuid(host.Uuids[0])!;

        domain.SetMemoryParameters([new TypedParameterValue("soft_limit", TypedParameterType.ULLong, "524288")], DomainImpact.Current);
        domain.SetNumaParameters([new TypedParameterValue("numa_nodeset", TypedParameterType.String, "1")], DomainImpact.Current);

        Assert.That(domain.GetMemoryParameters().Single(p => p.Name == "soft_limit").Value, Is.EqualTo("524288"));
        Assert.That(domain.GetNumaParameters().Single(p => p.Name == "numa_nodeset").Value, Is.EqualTo("1"));
        Assert.That(domain.GetBlockIoTune("vda").Select(p => p.Name), Does.Contain("total_iops_sec_max"));
    }

    [Test]
    public void HostCpuCount_MatchesTheHostDescription()
    {
        using var host = TestDriverHost.Create(domains: 1);
        using var connection = host.Connect();

        var info = connection.GetNodeInfo();

        Assert.That(info.Nodes, Is.EqualTo(2));
        Assert.That(info.Threads, Is.EqualTo(2));
        Assert.That(connection.HostCpuCount, Is.GreaterThanOrEqualTo(8));
    }

    [Test]
    public void InterfaceParameters_SetsInboundBandwidthOnTheTap()
    {
        using var host = TestDriverHost.Create(domains: 1);
        using var connection = host.Connect();
        using var domain = connection.LookupByUuid(host.Uuids[0])!;
        var tap = DomainReader.Read(domain.GetXml(), active: true).Interfaces.Single().TargetDev!;

        var reported = domain.GetInterfaceParameters(tap);
        domain.SetInterfaceParameters(tap, TypedParameterValue.Shape(new Dictionary<string, string> { ["inbound.average"] = "1000", ["inbound.burst"] = "2048" }, reported), DomainImpact.Current);

        var after = domain.GetInterfaceParameters(tap).ToDictionary(p => p.Name, p => p.Value);
        Assert.That(after["inbound.average"], Is.EqualTo("1000"));
        Assert.That(after["inbound.burst"], Is.EqualTo("2048"));
    }

    [Test]
    public void EnsureConnected_LiveConnection_DoesNotReopen()
    {
        using var host = TestDriverHost.Create(domains: 1);
        using var connection = host.Connect();

        Assert.That(connection.IsAlive, Is.True);
        Assert.That(connection.EnsureConnected(), Is.False);
        Assert.That(connection.Reconnects, Is.Zero);
    }
}
