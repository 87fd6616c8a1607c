using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Qos;

namespace KvmNovaTuner.Integration.Tests.Ovs;

/// <summary>Applying OVS bandwidth against a real ovsdb-server: rows, tags, idempotence, in-place updates.</summary>
public sealed class OvsQosApplyTests
{
    private OvsQosExecutor _executor = null!;

    [SetUp]
    public async Task Connect() =>
        _executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress(), new OvsQosOptions { RepairDrift = false });

    [TearDown]
    public async Task Disconnect()
    {
        // SetUp ignores the test when ovsdb-server is absent; there is then nothing to close.
        if (_executor is not null)
        {
            await _executor.DisposeAsync();
        }
    }

    [Test]
    public async Task Apply_PolicingAndHtb_WritesTaggedRowsInOvsUnits()
    {
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];

        var results = await bed.ApplyAsync(_executor, OvsTestBed.Policing(tap, 8000, 16384), OvsTestBed.Htb(tap, 8_000_000, 16_000_000, 33_554_432));

        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(ActionStatus.Applied), string.Join("; ", results.Select(r => r.Message)));
        var qos = await bed.GetAsync("Port", tap, "qos");
        var queue = await bed.GetAsync("QoS", qos, "queues:0");
        Assert.Multiple(async () =>
        {
            Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_rate"), Is.EqualTo("8000"));
            Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_burst"), Is.EqualTo("16384"));
            Assert.That(await bed.GetAsync("Interface", tap, "external_ids:kvm-nova-tuner\\:owner"), Is.EqualTo("kvm-nova-tuner"));
            Assert.That(await bed.GetAsync("Interface", tap, "external_ids:vm-uuid"), Is.EqualTo(bed.InstanceUuid), "os-vif's marks are kept");
            Assert.That(await bed.GetAsync("QoS", qos, "type"), Is.EqualTo("linux-htb"));
            Assert.That(await bed.GetAsync("QoS", qos, "other_config:max-rate"), Is.EqualTo("16000000"));
            Assert.That(await bed.GetAsync("QoS", qos, "external_ids:kvm-nova-tuner\\:instance"), Is.EqualTo(bed.InstanceUuid));
            Assert.That(await bed.GetAsync("Queue", queue, "other_config:min-rate"), Is.EqualTo("8000000"));
            Assert.That(await bed.GetAsync("Queue", queue, "other_config:max-rate"), Is.EqualTo("16000000"));
            Assert.That(await bed.GetAsync("Queue", queue, "other_config:burst"), Is.EqualTo("33554432"));
            Assert.That(await bed.GetAsync("Queue", queue, "external_ids:kvm-nova-tuner\\:owner"), Is.EqualTo("kvm-nova-tuner"));
        });
        Assert.That(results.Single(r => r.Kind == ActionKinds.OvsPolicing).Before!["ingress_policing_rate"], Is.EqualTo("0"));
        await bed.CleanupAsync(_executor);
    }

    [Test]
    public async Task Apply_SamePlanTwice_SecondRunIsUnchangedAndWritesNoRow()
    {
        var bed = await OvsTestBed.CreateAsync(ports: 2);
        var actions = bed.Taps.SelectMany(t => new[] { OvsTestBed.Policing(t, 800, 640), OvsTestBed.Htb(t, 800_000, 800_000, null) }).ToArray();
        await bed.ApplyAsync(_executor, actions);
        var qosRows = await bed.CountMarkedAsync("QoS");

        var second = await bed.ApplyAsync(_executor, actions);

        Assert.That(second.Select(r => r.Status), Is.All.EqualTo(ActionStatus.Unchanged));
        Assert.That(second.Select(r => r.After), Is.EqualTo(second.Select(r => r.Before)));
        Assert.That(await bed.CountMarkedAsync("QoS"), Is.EqualTo(qosRows).And.EqualTo(2));
        await bed.CleanupAsync(_executor);
    }

    [Test]
    public async Task Apply_NewValues_UpdatesTheSameRowsInPlace()
    {
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];
        await bed.ApplyAsync(_executor, OvsTestBed.Htb(tap, 1_000_000, 2_000_000, 8192));
        var qos = await bed.GetAsync("Port", tap, "qos");

        var results = await bed.ApplyAsync(_executor, OvsTestBed.Htb(tap, 3_000_000, null, null));

        Assert.That(results.Single().Status, Is.EqualTo(ActionStatus.Applied));
        Assert.That(results.Single().Before!["min-rate"], Is.EqualTo("1000000"));
        Assert.That(await bed.GetAsync("Port", tap, "qos"), Is.EqualTo(qos));
        var queue = await bed.GetAsync("QoS", qos, "queues:0");
        Assert.That(await bed.GetAsync("Queue", queue, "other_config"), Is.EqualTo("{min-rate=\"3000000\"}"));
        Assert.That(await bed.CountMarkedAsync("Queue"), Is.EqualTo(1));
        await bed.CleanupAsync(_executor);
    }

    [Test]
    public async Task Apply_NoVmUuidOnInterface_FindsThePortByTapName()
    {
        var bed = await OvsTestBed.CreateAsync(tagVmUuid: false);

        var results = await bed.ApplyAsync(_executor, OvsTestBed.Policing(bed.Taps[0], 100, 80));

        Assert.That(results.Single().Status, Is.EqualTo(ActionStatus.Applied));
        Assert.That(await bed.GetAsync("Interface", bed.Taps[0], "ingress_policing_rate"), Is.EqualTo("100"));
        await bed.CleanupAsync(_executor);
    }

    [Test]
    public async Task Apply_PortNotOnThisHost_FailsNamingThePort()
    {
        var bed = await OvsTestBed.CreateAsync();

        var results = await bed.ApplyAsync(_executor, OvsTestBed.Policing("tapmissing0", 100, 80));

        Assert.That(results.Single().Status, Is.EqualTo(ActionStatus.Failed));
        Assert.That(results.Single().Message, Does.Contain("tapmissing0"));
        await bed.CleanupAsync(_executor);
    }

    [Test]
    public async Task Apply_DryRun_ReportsTheChangeAndWritesNothing()
    {
        var bed = await OvsTestBed.CreateAsync();
        var action = OvsTestBed.Policing(bed.Taps[0], 100, 80);

        var results = await _executor.ExecuteAsync(bed.Plan(action), [action], dryRun: true);

        Assert.That(results.Single().Status, Is.EqualTo(ActionStatus.Skipped));
        Assert.That(results.Single().After!["ingress_policing_rate"], Is.EqualTo("100"));
        Assert.That(await bed.GetAsync("Interface", bed.Taps[0], "ingress_policing_rate"), Is.EqualTo("0"));
        await bed.CleanupAsync(_executor);
    }

    [Test]
    public async Task Reader_AppliedPort_ReportsValuesAndTunerAsOwner()
    {
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];
        await bed.ApplyAsync(_executor, OvsTestBed.Policing(tap, 400, 320), OvsTestBed.Htb(tap, 400_000, 500_000, 4096));

        var ports = await _executor.Reader.ReadAsync(bed.InstanceUuid, []);

        var port = ports.Single();
        Assert.That(port.Name, Is.EqualTo(tap));
        Assert.That(port.Owner, Is.EqualTo("kvm-nova-tuner"));
        Assert.That((port.IngressPolicingRate, port.IngressPolicingBurst), Is.EqualTo((400L, 320L)));
        Assert.That(port.QosType, Is.EqualTo("linux-htb"));
        Assert.That(port.QosSettings, Is.EquivalentTo(new Dictionary<string, string> { ["min-rate"] = "400000", ["max-rate"] = "500000", ["burst"] = "4096" }));
        await bed.CleanupAsync(_executor);
    }
}
