using System.Diagnostics;
using KvmNovaTuner.Integration.Tests.Agent;
using KvmNovaTuner.Integration.Tests.Support;

namespace KvmNovaTuner.Integration.Tests.Hooks;

/// <summary>
/// The hook installed into a real libvirtd (scripts/services/libvirt.sh): starting a real KVM domain with Nova metadata
/// makes libvirtd run the hook, and the agent applies the event. libvirtd looks for hook scripts only when it starts,
/// so the service must have been started with a hooks directory (KNT_LIBVIRTD_HOOKS_DIR, whose <c>qemu.d/</c> it
/// scans on each call); without it the test is ignored with the reason.
/// </summary>
public sealed class RealLibvirtdHookTests
{
    [Test]
    public async Task DomainStart_OnRealLibvirtd_RunsTheHookAndTheAgentAppliesIt()
    {
        var uri = ServiceEnvironment.Require("KNT_LIBVIRTD_URI", "a real libvirtd with the qemu driver");
        var hooks = ServiceEnvironment.Require("KNT_LIBVIRTD_HOOKS_DIR", "a libvirtd started with a hooks directory (qemu.d)");
        await using var agent = new HookAgent();
        await agent.StartAsync();
        var script = Path.Combine(hooks, "qemu.d", "50-kvm-nova-tuner");
        Directory.CreateDirectory(Path.GetDirectoryName(script)!);
        await File.WriteAllTextAsync(script,
            $"#!/bin/sh\nexec dotnet '{TunerProcess.Executable}' hook \"$@\" --socket '{agent.Socket}' --spool-dir '{agent.Spool}'\n");
        Assume.That(OperatingSystem.IsLinux(), "libvirt hooks are shell scripts on Linux");
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var xmlPath = Path.Combine(agent.Root, "domain.xml");
        await File.WriteAllTextAsync(xmlPath, DomainXml.Nova("hw:cpu_policy=shared").Replace("<devices/>", "<os><type arch='x86_64'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator></devices>", StringComparison.Ordinal).Replace(" id=\"4\"", "", StringComparison.Ordinal));
        try
        {
            Virsh(uri, "create", xmlPath);
            var applied = await agent.NextAppliedAsync(TimeSpan.FromSeconds(60));

            Assert.Multiple(() =>
            {
                Assert.That(applied.EventType, Is.EqualTo("libvirt.hook.started"));
                Assert.That(applied.InstanceUuid, Is.EqualTo(DomainXml.Uuid));
            });
        }
        finally
        {
            Virsh(uri, "destroy", DomainXml.Uuid, check: false);
            File.Delete(script);
        }
    }

    private static void Virsh(string uri, string verb, string argument, bool check = true)
    {
        using var p = Process.Start(new ProcessStartInfo("virsh", ["-c", uri, verb, argument]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        p.WaitForExit(60_000);
        if (check && p.ExitCode != 0)
        {
            Assert.Fail($"virsh {verb} failed: {p.StandardError.ReadToEnd()}");
        }
    }
}
