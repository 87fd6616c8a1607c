using System.Diagnostics;
using KvmNovaTuner.Integration.Tests.Support;
using KvmNovaTuner.Libvirt;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>A connection to libvirtd survives a daemon restart: it is seen dead and reopened before the next use.</summary>
public sealed class ReconnectTests
{
    [Test]
    public async Task EnsureConnected_AfterLibvirtdRestart_ReopensAndWorks()
    {
        TestDriverHost.RequireLibvirt();
        var uri = ServiceEnvironment.Require("KNT_LIBVIRTD_URI", "libvirtd (qemu driver)");
        var script = ServiceEnvironment.Require("KNT_LIBVIRT_SCRIPT", "libvirtd (qemu driver)");
        using var connection = LibvirtConnection.Open(uri);
        Assert.That(connection.IsAlive, Is.True);
        var closed = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += reason => closed.TrySetResult(reason);

        Restart(script);
        var reason = await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(reason, Is.InRange(0, 2), "closed by an error, EOF or keepalive, not by us");
        Assert.That(connection.IsAlive, Is.False, "the closed socket is noticed");
        Assert.That(connection.EnsureConnected(), Is.True);
        Assert.That(connection.Reconnects, Is.EqualTo(1));
        Assert.That(() => connection.ListAllDomains().ToList().ForEach(d => d.Dispose()), Throws.Nothing);
    }

    private static void Restart(string script)
    {
        using var process = Process.Start(new ProcessStartInfo(script, ["restart"]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var output = process.StandardError.ReadToEndAsync();
        Assert.That(process.WaitForExit(90_000), Is.True, "libvirt.sh restart timed out");
        Assert.That(process.ExitCode, Is.Zero, output.Result);
    }
}
