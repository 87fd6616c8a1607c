using System.Text.Json;
using KvmNovaTuner.Cli;
using KvmNovaTuner.Cli.Commands.Apply;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Integration.Tests.Support;
using KvmNovaTuner.Libvirt;
using KvmNovaTuner.Libvirt.Execution;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>
/// Against a real libvirtd with the qemu driver and a real KVM guest (scripts/services/libvirt.sh starts one in a
/// private namespace where the machine allows it): after apply, the affinities of the emulator, vCPU and IO
/// threads in /proc/&lt;qemu pid&gt;/task/*/status are the plan's.
/// </summary>
public sealed class RealLibvirtdTests
{
    [Test]
    public async Task Apply_OnARunningKvmGuest_ThreadAffinitiesInProcMatchThePlan()
    {
        TestDriverHost.RequireLibvirt();
        var uri = ServiceEnvironment.Require("KNT_LIBVIRTD_URI", "libvirtd (qemu driver)");
        var dir = ServiceEnvironment.Require("KNT_LIBVIRTD_DIR", "libvirtd (qemu driver)");
        using var connection = LibvirtConnection.Open(uri);
        var cpus = connection.HostCpuCount;
        var last = cpus - 1;
        using var guest = RealGuest.Start(connection, dir);

        var executor = new LibvirtActionExecutor(connection);
        var target = $"domain/{guest.Uuid}";
        PlanAction[] actions =
        [
            new(ActionKinds.VcpuPin, $"{target}/vcpu/0", new Dictionary<string, string> { ["cpuset"] = "0" }, ActionTiming.Live, "test"),
            new(ActionKinds.VcpuPin, $"{target}/vcpu/1", new Dictionary<string, string> { ["cpuset"] = $"{last}" }, ActionTiming.Live, "test"),
            new(ActionKinds.EmulatorPin, target, new Dictionary<string, string> { ["cpuset"] = $"{last}" }, ActionTiming.Live, "test"),
            new(ActionKinds.IoThreadAdd, $"{target}/iothread/2", new Dictionary<string, string> { ["iothread_id"] = "2" }, ActionTiming.Live, "test"),
            new(ActionKinds.IoThreadPin, $"{target}/iothread/2", new Dictionary<string, string> { ["iothread_id"] = "2", ["cpuset"] = "0" }, ActionTiming.Live, "test"),
            new(ActionKinds.BlockIoTune, $"{target}/disk/vda", new Dictionary<string, string> { ["total_iops_sec"] = "400" }, ActionTiming.Live, "test"),
        ];

        var results = await executor.ExecuteAsync(new Plan(guest.Uuid, "test", "real", actions, []), actions, dryRun: false);

        foreach (var r in results)
        {
            TestContext.Progress.WriteLine($"{r.Kind} {r.Target}: {r.Status} {r.Message}");
        }
        Assert.That(results.Select(r => r.Status), Is.All.EqualTo(ActionStatus.Applied));
        Assert.That(results.Select(r => r.Message), Is.All.EqualTo("live and persistent"), "the qemu driver takes live+config");
        var threads = QemuThreads.Affinities(guest.Name);
        Assert.That(threads["CPU 0/KVM"], Is.EqualTo(CpuSet.Parse("0")));
        Assert.That(threads["CPU 1/KVM"], Is.EqualTo(CpuSet.Parse($"{last}")));
        Assert.That(threads["emulator"], Is.EqualTo(CpuSet.Parse($"{last}")));
        Assert.That(threads["IO iothread2"], Is.EqualTo(CpuSet.Parse("0")));

        var again = await executor.ExecuteAsync(new Plan(guest.Uuid, "test", "real", actions, []), actions, dryRun: false);
        Assert.That(again.Select(r => r.Status), Is.All.EqualTo(ActionStatus.Unchanged));
    }

    [Test]
    public async Task ApplyVerb_Twice_SecondRunReportsNextBootSettingsStillPendingRestart_WhileTheGuestRunsWithoutThem()
    {
        TestDriverHost.RequireLibvirt();
        var uri = ServiceEnvironment.Require("KNT_LIBVIRTD_URI", "libvirtd (qemu driver)");
        var dir = ServiceEnvironment.Require("KNT_LIBVIRTD_DIR", "libvirtd (qemu driver)");
        using var connection = LibvirtConnection.Open(uri);
        using var guest = RealGuest.Start(connection, dir);
        var flavor = new Dictionary<string, string> { ["tuner:iothreads"] = "2", ["tuner:disk_cache"] = "none", ["tuner:ksm"] = "off" };
        var file = CliHarness.WriteCreateEnd(Path.GetTempPath(), guest.Uuid, "compute-1", flavor);
        string[] args = ["apply", "--notification", file, "--host", "compute-1", "--libvirt-uri", uri, "--json"];
        try
        {
            var first = await CliHarness.RunAsync(ApplyCommand.Create(), args);
            var second = await CliHarness.RunAsync(ApplyCommand.Create(), args);

            TestContext.Progress.WriteLine(first.Out);
            Assert.That(first.Exit, Is.EqualTo(ExitCodes.Success), first.Out + first.Err);
            Assert.That(Statuses(first.Out), Does.Contain("applied").And.Contain("pending-restart"));
            Assert.That(second.Exit, Is.EqualTo(ExitCodes.Success), second.Out + second.Err);
            // The disk cache and nosharepages are in the persistent definition only: the running guest does not have them.
            Assert.That(Statuses(second.Out), Is.Not.Empty.And.All.EqualTo("pending-restart"), second.Out);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static List<string?> Statuses(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()).ToList();
    }
}
