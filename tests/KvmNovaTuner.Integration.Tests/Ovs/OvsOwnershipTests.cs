using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Qos;

namespace KvmNovaTuner.Integration.Tests.Ovs;

/// <summary>Rows owned by Neutron, libvirt or nobody known are never overwritten unless the tuner owns bandwidth on the host.</summary>
public sealed class OvsOwnershipTests
{
    public static IEnumerable<TestCaseData> ForeignMarks()
    {
        yield return new TestCaseData("libvirt", new[] { "external_ids:vm-id=0f2d", "external_ids:ifname=tapx" }).SetName("Apply_LibvirtQos_ConflictAndRowUntouched");
        yield return new TestCaseData("neutron", new[] { "external_ids:_type=bandwidth_limit", "external_ids:id=port-1" }).SetName("Apply_NeutronQos_ConflictAndRowUntouched");
        yield return new TestCaseData("unknown", Array.Empty<string>()).SetName("Apply_UntaggedQos_ConflictAndRowUntouched");
    }

    [TestCaseSource(nameof(ForeignMarks))]
    public async Task Apply_ForeignQos_ReportsConflictAndLeavesItUntouched(string owner, string[] marks)
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress(), new OvsQosOptions { RepairDrift = false });
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];
        var foreign = await CreateForeignQosAsync(bed, tap, marks);

        var results = await bed.ApplyAsync(executor, OvsTestBed.Htb(tap, 2_000_000, 2_000_000, null));

        var result = results.Single();
        Assert.That(result.Status, Is.EqualTo(ActionStatus.Failed));
        Assert.That(result.Message, Does.StartWith("conflict").And.Contain(owner));
        Assert.That(result.Before!["max-rate"], Is.EqualTo("9000000"));
        Assert.That(await bed.GetAsync("Port", tap, "qos"), Is.EqualTo(foreign));
        Assert.That(await bed.GetAsync("QoS", foreign, "other_config"), Is.EqualTo("{max-rate=\"9000000\"}"));
        Assert.That(await bed.CountMarkedAsync("QoS"), Is.Zero);
        Assert.That((await executor.Reader.ReadAsync(bed.InstanceUuid, [])).Single().Owner, Is.EqualTo(owner));
        await bed.VsctlAsync("clear", "Port", tap, "qos", "--", "destroy", "QoS", foreign);
        await bed.CleanupAsync(executor);
    }

    [Test]
    public async Task Apply_PolicingSetByLibvirt_ReportsConflictAndKeepsIt()
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress(), new OvsQosOptions { RepairDrift = false });
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];
        await bed.VsctlAsync("set", "Interface", tap, "external_ids:vm-id=libvirt-dom", "ingress_policing_rate=4000", "ingress_policing_burst=3200");

        var results = await bed.ApplyAsync(executor, OvsTestBed.Policing(tap, 800, 640));

        Assert.That(results.Single().Status, Is.EqualTo(ActionStatus.Failed));
        Assert.That(results.Single().Message, Does.Contain("conflict").And.Contain("libvirt"));
        Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_rate"), Is.EqualTo("4000"));
        await bed.CleanupAsync(executor);
    }

    [Test]
    public async Task Apply_TunerOwnsBandwidth_TakesOverForeignQosWithoutOrphans()
    {
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress(), new OvsQosOptions { RepairDrift = false, TunerOwnsBandwidth = true });
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];
        var foreign = await CreateForeignQosAsync(bed, tap, ["external_ids:vm-id=0f2d", "external_ids:ifname=tapx"], queues: 2);
        var queuesBefore = await bed.CountAsync("Queue");

        var results = await bed.ApplyAsync(executor, OvsTestBed.Htb(tap, 2_000_000, 3_000_000, null));

        Assert.That(results.Single().Status, Is.EqualTo(ActionStatus.Applied), results.Single().Message);
        Assert.That(results.Single().Message, Does.Contain("took over"));
        Assert.That(await bed.GetAsync("Port", tap, "qos"), Is.EqualTo(foreign), "adopted in place");
        Assert.That(await bed.GetAsync("QoS", foreign, "external_ids:kvm-nova-tuner\\:owner"), Is.EqualTo("kvm-nova-tuner"));
        Assert.That(await bed.VsctlAsync("--if-exists", "get", "QoS", foreign, "external_ids:vm-id"), Is.Empty);
        Assert.That(await bed.CountAsync("Queue"), Is.EqualTo(queuesBefore - 1), "the second foreign queue is deleted, not orphaned");
        await bed.CleanupAsync(executor);
    }

    /// <summary>A linux-htb QoS with <paramref name="queues"/> queues, written by "someone else" on the port.</summary>
    private static async Task<string> CreateForeignQosAsync(OvsTestBed bed, string tap, string[] marks, int queues = 1)
    {
        var args = new List<string> { "set", "Port", tap, "qos=@q", "--", "--id=@q", "create", "QoS", "type=linux-htb", "other_config:max-rate=9000000" };
        args.AddRange(marks);
        args.Add("queues=" + string.Join(",", Enumerable.Range(0, queues).Select(i => $"{i}=@u{i}")));
        for (var i = 0; i < queues; i++)
        {
            args.AddRange(["--", $"--id=@u{i}", "create", "Queue", "other_config:max-rate=9000000"]);
            args.AddRange(marks);
        }
        await bed.VsctlAsync([.. args]);
        return await bed.GetAsync("Port", tap, "qos");
    }
}
