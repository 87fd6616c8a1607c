using KvmNovaTuner.Integration.Tests.EndToEnd;
using KvmNovaTuner.Integration.Tests.Support;

namespace KvmNovaTuner.Integration.Tests.RealKvm;

/// <summary>
/// The real-KVM variant of the single-node stack: Nova's compute runs Nova's own libvirt driver
/// (<c>KNT_NOVA_COMPUTE_DRIVER=libvirt scripts/services.sh start ... nova</c>) on the project's private-namespace
/// libvirtd, which has the project's qemu hook installed. Where this machine cannot run it, the test is ignored
/// with the reason printed.
/// </summary>
internal sealed record RealKvmHost(EndToEndStack Stack, string LibvirtUri, string HookTarget, string NovaDir, string RepoRoot)
{
    public static RealKvmHost Require()
    {
        if (!File.Exists("/dev/kvm")) Skip("/dev/kvm is missing: this machine cannot run KVM guests");
        if (!File.Exists("/usr/bin/qemu-system-x86_64")) Skip("qemu-system-x86_64 is not installed (scripts/services.sh install libvirt installs it)");
        var stack = EndToEndStack.Require();
        var driver = ServiceEnvironment.Optional("KNT_NOVA_COMPUTE_DRIVER") ?? "fake";
        if (driver != "libvirt")
        {
            Skip($"Nova's compute runs the {driver} driver: start it with KNT_NOVA_COMPUTE_DRIVER=libvirt scripts/services.sh start nova");
        }
        var uri = ServiceEnvironment.Require("KNT_LIBVIRTD_URI", "a real libvirtd with the qemu driver");
        var hook = ServiceEnvironment.Require("KNT_LIBVIRTD_HOOK_TARGET", "the private libvirtd's qemu hook");
        var novaDir = ServiceEnvironment.Require("KNT_NOVA_DIR", "Nova");
        return new RealKvmHost(stack, uri, hook, novaDir, FindRepoRoot());
    }

    /// <summary>nova-compute's own log (the libvirt driver's lifecycle events and any stop it issues).</summary>
    public string ComputeLog => Path.Combine(NovaDir, "log", "nova-compute.log");

    public static void Skip(string reason)
    {
        TestContext.Progress.WriteLine($"SKIPPED: {reason}");
        Assert.Ignore(reason);
    }

    private static string FindRepoRoot()
    {
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
        {
            if (Directory.Exists(Path.Combine(d.FullName, "flavors")) && File.Exists(Path.Combine(d.FullName, "KvmNovaTuner.sln"))) return d.FullName;
        }
        Skip("the flavor catalog (flavors/) is not in this checkout");
        return "";
    }
}
