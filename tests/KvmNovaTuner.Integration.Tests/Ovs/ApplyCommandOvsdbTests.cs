using System.Text.Json;
using KvmNovaTuner.Cli;
using KvmNovaTuner.Cli.Commands.Apply;
using KvmNovaTuner.Integration.Tests.Libvirt;

namespace KvmNovaTuner.Integration.Tests.Ovs;

/// <summary>`apply --ovsdb`: one command tunes the domain through libvirt and the instance's port through OVSDB.</summary>
public sealed class ApplyCommandOvsdbTests
{
    private static readonly Dictionary<string, string> Flavor = new()
    {
        ["tuner:blkio_weight"] = "300",
        ["quota:vif_outbound_average"] = "1000",
        ["quota:vif_outbound_burst"] = "2000",
        ["quota:vif_inbound_average"] = "500",
    };

    [Test]
    public async Task ApplyWithOvsdb_WritesTheFlavorsBandwidthInOvsUnitsBesideTheLibvirtActions()
    {
        OvsTestBed.RequireAddress();
        using var host = TestDriverHost.Create(domains: 1, extraSpecs: Flavor);
        var bed = await OvsTestBed.CreateAsync(ports: 0);
        // The domain's own interface (as os-vif would plug it): its tap name and the instance's vm-uuid.
        var tap = $"tap{host.Uuids[0][..8]}"; // TestDriverHostXml names each domain's interface so
        try
        {
            await bed.VsctlAsync("add-port", bed.Bridge, tap, "--", "set", "Interface", tap, $"external_ids:vm-uuid={host.Uuids[0]}");
            var file = CliHarness.WriteCreateEnd(Path.GetDirectoryName(host.Path)!, host.Uuids[0], "compute-1", Flavor);
            // Nova's sample names its own tap; this instance's port is the test bed's.
            await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file)).Replace("tapce531f90-19", tap, StringComparison.Ordinal));

            var run = await CliHarness.RunAsync(ApplyCommand.Create(),
                "apply", "--notification", file, "--host", "compute-1", "--libvirt-uri", host.Uri, "--ovsdb", bed.Address, "--json");

            Assert.That(run.Exit, Is.EqualTo(ExitCodes.Success), run.Out + run.Err);
            using var doc = JsonDocument.Parse(run.Out);
            var statuses = doc.RootElement.GetProperty("results").EnumerateArray()
                .ToDictionary(r => (r.GetProperty("kind").GetString()!, r.GetProperty("target").GetString()!), r => r.GetProperty("status").GetString());
            Assert.That(statuses[("ovs_policing", $"port/{tap}")], Is.EqualTo("applied"));
            Assert.That(statuses[("ovs_qos", $"port/{tap}")], Is.EqualTo("applied"));
            Assert.That(statuses[("blkio", $"domain/{host.Uuids[0]}")], Is.EqualTo("applied"));
            var qos = await bed.GetAsync("Port", tap, "qos");
            var queue = await bed.GetAsync("QoS", qos, "queues:0");
            Assert.Multiple(async () =>
            {
                // 1000 kB/s × 8 = 8000 kbit/s; burst 2000 kB × 8 = 16000 kbit; inbound 500 kB/s × 8000 = 4,000,000 bit/s, capped at the average.
                Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_rate"), Is.EqualTo("8000"));
                Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_burst"), Is.EqualTo("16000"));
                Assert.That(await bed.GetAsync("QoS", qos, "type"), Is.EqualTo("linux-htb"));
                Assert.That(await bed.GetAsync("Queue", queue, "other_config:min-rate"), Is.EqualTo("4000000"));
                Assert.That(await bed.GetAsync("Queue", queue, "other_config:max-rate"), Is.EqualTo("4000000"));
                Assert.That(await bed.GetAsync("QoS", qos, "external_ids:kvm-nova-tuner\\:instance"), Is.EqualTo(host.Uuids[0]));
            });
        }
        finally
        {
            await using var executor = await KvmNovaTuner.Ovs.Qos.OvsQosExecutor.ConnectAsync(bed.Address, new KvmNovaTuner.Ovs.Qos.OvsQosOptions { RepairDrift = false });
            await executor.RemoveInstanceAsync(host.Uuids[0]);
            await bed.DeleteBridgeAsync();
        }
    }

    [Test]
    public async Task ApplyWithUnreachableOvsdb_ExitsTwoNamingTheAddress()
    {
        using var host = TestDriverHost.Create(domains: 1, extraSpecs: Flavor);
        var file = CliHarness.WriteCreateEnd(Path.GetDirectoryName(host.Path)!, host.Uuids[0], "compute-1", Flavor);
        var missing = $"unix:{Path.Combine(Path.GetDirectoryName(host.Path)!, "no-such-db.sock")}";

        var run = await CliHarness.RunAsync(ApplyCommand.Create(),
            "apply", "--notification", file, "--host", "compute-1", "--libvirt-uri", host.Uri, "--ovsdb", missing);

        Assert.That(run.Exit, Is.EqualTo(ExitCodes.Usage), run.Out + run.Err);
        Assert.That(run.Err, Does.StartWith($"error: --ovsdb {missing}"));
    }
}
