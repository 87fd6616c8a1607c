using System.Diagnostics;
using KvmNovaTuner.Integration.Tests.Support;
using KvmNovaTuner.Libvirt;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>A connection to libvirtd survives a daemon restart: it is seen dead and reopened before the next use.</summary>
public sealed class ReconnectTests
{
    [Test]
    public void EnsureConnected_AfterLibvirtdRestart_ReopensAndWorks()
    {
        TestDriverHost.RequireLibvirt();
        var uri = ServiceEnvironment.Require("KNT_LIBVIRTD_URI", "libvirtd (qemu driver)");
        var script = ServiceEnvironment.Require("KNT_LIBVIRT_SCRIPT", "libvirtd (qemu driver)");
        using var connection = LibvirtConnection.Open(uri);
        Assert.That(connection.IsAlive, Is.True);

        Restart(script);
        var deadline = Stopwatch.StartNew();
        while (connection.IsAlive && deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(100); // polling a state libvirt's event loop updates; bounded by the deadline
        }

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
