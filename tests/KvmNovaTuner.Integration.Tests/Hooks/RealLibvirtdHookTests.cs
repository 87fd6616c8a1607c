using System.Diagnostics;
using System.Globalization;
using KvmNovaTuner.Integration.Tests.Agent;
using KvmNovaTuner.Integration.Tests.Support;

namespace KvmNovaTuner.Integration.Tests.Hooks;

/// <summary>
/// The hook installed into a real libvirtd: starting a real KVM domain with Nova metadata makes libvirtd run the hook,
/// and the agent applies the event. libvirtd looks for hook scripts only when it starts, so the test starts its own
/// private libvirtd (scripts/lib/libvirtd-ns.sh, the launcher scripts/services/libvirt.sh uses) with the hook already in
/// <c>/etc/libvirt/hooks/qemu.d/</c>, and only where the service script found that a real libvirtd works here.
/// </summary>
public sealed class RealLibvirtdHookTests
{
    [Test]
    public async Task DomainStart_OnRealLibvirtd_RunsTheHookAndTheAgentAppliesIt()
    {
        ServiceEnvironment.Require("KNT_LIBVIRTD_URI", "a real libvirtd with the qemu driver");
        var launcher = FindLauncher();
        Assume.That(OperatingSystem.IsLinux(), "libvirt hooks are shell scripts on Linux");
        if (OperatingSystem.IsWindows()) return;
        await using var agent = new HookAgent();
        await agent.StartAsync();
        var dir = Path.Combine(agent.Root, "libvirt");
        var script = Path.Combine(dir, "etc", "hooks", "qemu.d", "50-kvm-nova-tuner");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        // The shipped wrapper, pointed at the built executable and the test agent's socket and spool.
        var wrapper = await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(launcher)))!, "deploy", "libvirt-hooks", "qemu"));
        const string installed = "bin=/usr/lib/kvm-nova-tuner/kvm-nova-tuner";
        Assert.That(wrapper, Does.Contain(installed));
        var launcherOfBuild = Path.Combine(dir, "kvm-nova-tuner");
        await File.WriteAllTextAsync(launcherOfBuild,
            $"#!/bin/sh\nexec dotnet '{TunerProcess.Executable}' \"$@\" --socket '{agent.Socket}' --spool-dir '{agent.Spool}'\n");
        File.SetUnixFileMode(launcherOfBuild, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await File.WriteAllTextAsync(script, wrapper.Replace(installed, $"bin='{launcherOfBuild}'", StringComparison.Ordinal));
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var uri = $"qemu+unix:///system?socket={dir}/run/libvirt/libvirt-sock";
        using var daemon = Process.Start(new ProcessStartInfo("setsid", ["bash", launcher, dir]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            await WaitUntilAsync(() => Virsh(uri, "version").ExitCode == 0, TimeSpan.FromSeconds(60), $"private libvirtd did not answer (see {dir}/libvirtd.log)");
            var xmlPath = Path.Combine(agent.Root, "domain.xml");
            await File.WriteAllTextAsync(xmlPath, DomainXml.Nova("hw:cpu_policy=shared")
                .Replace("<devices/>", "<os><type arch='x86_64'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>", StringComparison.Ordinal)
                .Replace(" id=\"4\"", "", StringComparison.Ordinal));
            var clock = Stopwatch.StartNew();
            var create = Virsh(uri, "create", xmlPath);
            TestContext.Progress.WriteLine($"virsh create with the hook installed: {clock.ElapsedMilliseconds} ms");
            Assert.That(create.ExitCode, Is.Zero, create.Error);

            var applied = await agent.NextAppliedAsync("libvirt.hook.started", TimeSpan.FromSeconds(60));

            Assert.Multiple(() =>
            {
                Assert.That(applied.EventType, Is.EqualTo("libvirt.hook.started"));
                Assert.That(applied.InstanceUuid, Is.EqualTo(DomainXml.Uuid));
                Assert.That(applied.Flavor!.ExtraSpecs!["hw:cpu_policy"], Is.EqualTo("shared"));
                Assert.That(Directory.Exists(agent.Spool) ? Directory.GetFiles(agent.Spool, "*.json") : [], Is.Empty, "handed over, not spooled");
            });

            // The same instance booted again while the agent is down: spooled by the hook, applied at the agent's start.
            Assert.That(Virsh(uri, "destroy", DomainXml.Uuid).ExitCode, Is.Zero);
            await agent.StopAsync();
            clock.Restart();
            Assert.That(Virsh(uri, "create", xmlPath).ExitCode, Is.Zero);
            var createdAgentDown = clock.ElapsedMilliseconds;
            // libvirt may still be running the destroy's own "stopped" call when the agent stops; then that call is
            // spooled too (CI saw 2 files). Only the new boot's "started" call is this check's subject.
            var spooled = Directory.GetFiles(agent.Spool, "*.json").Where(f => SpooledOperation(f) == "started").ToArray();
            await agent.StartAsync();
            var replayed = await agent.NextAppliedAsync("libvirt.hook.started", TimeSpan.FromSeconds(60));

            // And once more without the hook, for the cost libvirt pays for it.
            Assert.That(Virsh(uri, "destroy", DomainXml.Uuid).ExitCode, Is.Zero);
            File.Delete(script);
            clock.Restart();
            Assert.That(Virsh(uri, "create", xmlPath).ExitCode, Is.Zero);
            TestContext.Progress.WriteLine($"virsh create: agent down (hook spools) {createdAgentDown} ms, no hook {clock.ElapsedMilliseconds} ms");

            Assert.Multiple(() =>
            {
                Assert.That(spooled, Has.Length.EqualTo(1));
                Assert.That(replayed.EventType, Is.EqualTo("libvirt.hook.started"));
                Assert.That(replayed.MessageId, Is.Not.EqualTo(applied.MessageId), "a new boot (new domain id) is a new event");
                Assert.That(Path.GetFileNameWithoutExtension(spooled[0]), Is.EqualTo(replayed.MessageId));
            });
        }
        finally
        {
            Virsh(uri, "destroy", DomainXml.Uuid);
            StopDaemon(dir, daemon);
        }
    }

    private static string? SpooledOperation(string path) =>
        Newtonsoft.Json.Linq.JObject.Parse(File.ReadAllText(path)).GetValue("operation", StringComparison.OrdinalIgnoreCase)?.ToString();

    private static string FindLauncher()
    {
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "scripts", "lib", "libvirtd-ns.sh");
            if (File.Exists(candidate)) return candidate;
        }
        var reason = "scripts/lib/libvirtd-ns.sh (the private libvirtd launcher) is not in this checkout";
        TestContext.Progress.WriteLine($"SKIPPED: {reason}");
        Assert.Ignore(reason);
        return "";
    }

    private static void StopDaemon(string dir, Process launcher)
    {
        var pidFile = Path.Combine(dir, "libvirtd.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            try
            {
                using var daemon = Process.GetProcessById(pid);
                daemon.Kill();
                daemon.WaitForExit(30_000);
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }
        if (!launcher.HasExited)
        {
            launcher.Kill(entireProcessTree: true);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail(failure);
            await Task.Delay(250);
        }
    }

    private static (int ExitCode, string Error) Virsh(string uri, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("virsh", ["-c", uri, .. args]) { RedirectStandardError = true })!;
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit(60_000);
        return (p.ExitCode, error);
    }
}
