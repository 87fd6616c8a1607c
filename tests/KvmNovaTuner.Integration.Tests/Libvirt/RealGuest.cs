using KvmNovaTuner.Libvirt;

namespace KvmNovaTuner.Integration.Tests.Libvirt;

/// <summary>A tiny KVM guest (64 MiB, 2 vCPUs, 1 IO thread, a blank 1 MiB disk, no OS) defined and started for one test, then removed.</summary>
internal sealed class RealGuest : IDisposable
{
    private readonly LibvirtDomain domain;
    private readonly string image;

    private RealGuest(LibvirtDomain domain, string image)
    {
        this.domain = domain;
        this.image = image;
    }

    public string Uuid => domain.Uuid;
    public string Name => domain.Name;

    /// <summary>Starts the guest, or ignores the test with libvirt's reason when this machine cannot run it.</summary>
    public static RealGuest Start(LibvirtConnection connection, string stateDir)
    {
        var uuid = Guid.NewGuid().ToString();
        var name = $"knt-test-{uuid[..8]}";
        var image = Path.Combine(stateDir, "images", $"{name}.img");
        Directory.CreateDirectory(Path.GetDirectoryName(image)!);
        using (var file = File.Create(image))
        {
            file.SetLength(1024 * 1024);
        }
        var xml = $"""
            <domain type='kvm'>
              <name>{name}</name>
              <uuid>{uuid}</uuid>
              <memory unit='MiB'>64</memory>
              <vcpu placement='static'>2</vcpu>
              <iothreads>1</iothreads>
              <os><type arch='x86_64' machine='pc'>hvm</type></os>
              <on_poweroff>destroy</on_poweroff>
              <devices>
                <emulator>/usr/bin/qemu-system-x86_64</emulator>
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw'/>
                  <source file='{image}'/>
                  <target dev='vda' bus='virtio'/>
                </disk>
                <memballoon model='none'/>
              </devices>
            </domain>
            """;
        var domain = connection.Define(xml, validate: true);
        try
        {
            domain.Start();
        }
        catch (LibvirtException e)
        {
            domain.Undefine();
            domain.Dispose();
            File.Delete(image);
            var reason = $"this machine cannot start a KVM guest: {e.LibvirtMessage}";
            TestContext.Progress.WriteLine($"SKIPPED: {reason}");
            Assert.Ignore(reason);
        }
        return new RealGuest(domain, image);
    }

    public void Dispose()
    {
        try
        {
            domain.Destroy();
        }
        catch (LibvirtException)
        {
            // Already stopped.
        }
        domain.Undefine();
        domain.Dispose();
        File.Delete(image);
    }
}
