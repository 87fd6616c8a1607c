using Microsoft.Win32.SafeHandles;

namespace KvmNovaTuner.Libvirt.Native;

/// <summary>A <c>virConnectPtr</c>: closed exactly once when released.</summary>
internal sealed class ConnectHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public ConnectHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => NativeMethods.virConnectClose(handle) >= 0;
}

/// <summary>A <c>virDomainPtr</c>: freed exactly once when released.</summary>
internal sealed class DomainHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public DomainHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of a pointer from an array libvirt handed over (virConnectListAllDomains).</summary>
    public DomainHandle(IntPtr existing)
        : base(ownsHandle: true) => SetHandle(existing);

    protected override bool ReleaseHandle() => NativeMethods.virDomainFree(handle) >= 0;
}
