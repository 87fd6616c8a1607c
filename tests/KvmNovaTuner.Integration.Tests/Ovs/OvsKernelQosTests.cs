using System.Diagnostics;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Ovs.Qos;

namespace KvmNovaTuner.Integration.Tests.Ovs;

/// <summary>With a real ovs-vswitchd (userspace datapath, private network namespace), the tuner's htb rates reach the kernel.</summary>
[NonParallelizable]
public sealed class OvsKernelQosTests
{
    [Test]
    public async Task Apply_HtbQosWithVswitchd_ClassRatesReachTheTap()
    {
        var instance = Guid.NewGuid().ToString();
        var (sandbox, reason) = await VswitchdSandbox.TryStartAsync(instance);
        if (sandbox is null)
        {
            TestContext.Progress.WriteLine($"SKIPPED: ovs-vswitchd cannot run here: {reason}");
            Assert.Ignore($"ovs-vswitchd cannot run here: {reason}");
        }
        await using var _ = sandbox;
        await using var executor = await OvsQosExecutor.ConnectAsync(sandbox!.Address, new OvsQosOptions { RepairDrift = false });
        var action = new PlanAction(ActionKinds.OvsQos, $"port/{sandbox.Tap}",
            new Dictionary<string, string> { ["type"] = "linux-htb", ["min-rate"] = "8000000", ["max-rate"] = "16000000" }, ActionTiming.Live, "test");

        var results = await executor.ExecuteAsync(new Plan(instance, "test", null, [action], []), [action], false);

        Assert.That(results.Single().Status, Is.EqualTo(ActionStatus.Applied), results.Single().Message);
        var classes = "";
        var elapsed = Stopwatch.StartNew();
        while (!classes.Contains("rate 8Mbit ceil 16Mbit") && elapsed.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
            classes = await sandbox.TcClassesAsync();
        }
        TestContext.Progress.WriteLine(classes);
        Assert.That(classes, Does.Contain("rate 8Mbit ceil 16Mbit"), "queue 0: min-rate 8 Mbit/s, max-rate 16 Mbit/s");
        Assert.That(classes, Does.Contain("root rate 16Mbit"), "QoS other_config:max-rate");
    }
}
