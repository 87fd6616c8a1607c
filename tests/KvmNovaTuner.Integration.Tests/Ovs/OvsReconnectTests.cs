using System.Diagnostics;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Integration.Tests.Support;
using KvmNovaTuner.Ovs.Protocol;
using KvmNovaTuner.Ovs.Qos;

namespace KvmNovaTuner.Integration.Tests.Ovs;

/// <summary>The client survives an ovsdb-server restart: it reconnects with backoff, re-registers its monitor and applies again.</summary>
[NonParallelizable]
public sealed class OvsReconnectTests
{
    [Test]
    public async Task Reconnect_ServerRestarted_ClientReconnectsAndKeepsApplying()
    {
        var script = ServiceEnvironment.Require("KNT_OVSDB_SCRIPT", "ovsdb-server restart script");
        var options = new OvsQosOptions { Client = new OvsdbClientOptions { ReconnectInitialDelay = TimeSpan.FromMilliseconds(50), ReconnectMaxDelay = TimeSpan.FromSeconds(1) } };
        await using var executor = await OvsQosExecutor.ConnectAsync(OvsTestBed.RequireAddress(), options);
        var bed = await OvsTestBed.CreateAsync();
        var tap = bed.Taps[0];
        await bed.ApplyAsync(executor, OvsTestBed.Policing(tap, 1600, 1280));
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        executor.Client.Reconnected += () => reconnected.TrySetResult();

        await RunAsync(script, "restart");
        await reconnected.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(executor.Client.ReconnectCount, Is.EqualTo(1));
        var results = await bed.ApplyAsync(executor, OvsTestBed.Policing(tap, 3200, 2560));
        Assert.That(results.Single().Status, Is.EqualTo(ActionStatus.Applied), results.Single().Message);
        Assert.That(results.Single().Before!["ingress_policing_rate"], Is.EqualTo("1600"), "the database survived the restart");

        // The monitor was re-registered: drift after the restart is still repaired.
        var repaired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        executor.Drift!.Repaired += _ => repaired.TrySetResult();
        await bed.VsctlAsync("set", "Interface", tap, "ingress_policing_rate=0");
        await repaired.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.That(await bed.GetAsync("Interface", tap, "ingress_policing_rate"), Is.EqualTo("3200"));
        await bed.CleanupAsync(executor);
    }

    private static async Task RunAsync(string script, string verb)
    {
        var start = new ProcessStartInfo(script, verb) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.That(process.ExitCode, Is.Zero, await stderr);
    }
}
