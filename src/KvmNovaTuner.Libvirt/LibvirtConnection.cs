using System.Runtime.InteropServices;
using KvmNovaTuner.Libvirt.Native;

namespace KvmNovaTuner.Libvirt;

/// <summary>
/// One connection to libvirt (<c>qemu:///system</c>, <c>test:///path.xml</c>, ...). Remote connections get a
/// keepalive; <see cref="EnsureConnected"/> reopens a connection that died (libvirtd restart) before the next use.
/// </summary>
public sealed unsafe class LibvirtConnection : IDisposable
{
    private readonly Lock gate = new();
    private readonly KeepAlive keepAlive;
    private ConnectHandle handle;
    private int? hostCpus;

    private readonly GCHandle self;

    private LibvirtConnection(string uri, KeepAlive keepAlive)
    {
        Uri = uri;
        this.keepAlive = keepAlive;
        self = GCHandle.Alloc(this, GCHandleType.Weak);
        handle = OpenHandle(uri, keepAlive);
        WatchClose(handle);
    }

    /// <summary>
    /// Raised (on libvirt's event loop thread) when libvirt closes the connection: daemon gone, keepalive timeout,
    /// socket error. The argument is libvirt's <c>virConnectCloseReason</c> (0 error, 1 EOF, 2 keepalive, 3 client).
    /// </summary>
    public event Action<int>? Closed;

    private void WatchClose(ConnectHandle opened)
    {
        // Local drivers (test://) have no close callback: that is not an error, they never close on their own.
        if (NativeMethods.virConnectRegisterCloseCallback(opened, &OnClosed, GCHandle.ToIntPtr(self), null) < 0)
        {
            NativeMethods.virResetLastError();
        }
    }

    [UnmanagedCallersOnly]
    private static void OnClosed(IntPtr connection, int reason, IntPtr opaque)
    {
        if (GCHandle.FromIntPtr(opaque).Target is LibvirtConnection owner)
        {
            owner.Closed?.Invoke(reason);
        }
    }

    /// <summary>The URI this connection was opened with.</summary>
    public string Uri { get; }

    /// <summary>How many times the connection was reopened after it died.</summary>
    public int Reconnects { get; private set; }

    /// <summary>Opens <paramref name="uri"/>; throws <see cref="LibvirtException"/> when libvirt refuses.</summary>
    public static LibvirtConnection Open(string uri, KeepAlive? keepAlive = null)
    {
        LibvirtRuntime.EnsureInitialised();
        return new LibvirtConnection(uri, keepAlive ?? KeepAlive.Default);
    }

    internal ConnectHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(handle.IsClosed, this);
            return handle;
        }
    }

    /// <summary>True while libvirt considers the connection usable.</summary>
    public bool IsAlive => !handle.IsClosed && NativeMethods.virConnectIsAlive(handle) == 1;

    /// <summary>Reopens the connection when it is no longer alive. Domains from the old one must be looked up again.</summary>
    public bool EnsureConnected()
    {
        lock (gate)
        {
            if (IsAlive)
            {
                return false;
            }
            var fresh = OpenHandle(Uri, keepAlive);
            Release(handle);
            handle = fresh;
            WatchClose(fresh);
            Reconnects++;
            return true;
        }
    }

    private static ConnectHandle OpenHandle(string uri, KeepAlive keepAlive)
    {
        var opened = NativeMethods.virConnectOpen(uri);
        if (opened.IsInvalid)
        {
            throw LibvirtException.FromLastError($"virConnectOpen({uri})");
        }
        if (keepAlive.IntervalSeconds > 0 && NativeMethods.virConnectSetKeepAlive(opened, keepAlive.IntervalSeconds, keepAlive.Count) < 0)
        {
            // Local drivers (test://, or qemu:// served in-process) have no keepalive: that is not an error.
            var error = LibvirtException.FromLastError("virConnectSetKeepAlive");
            if (error.Code != LibvirtException.NoSupport)
            {
                opened.Dispose();
                throw error;
            }
        }
        return opened;
    }

    /// <summary>Every domain, running or defined.</summary>
    public IReadOnlyList<LibvirtDomain> ListAllDomains()
    {
        var count = NativeMethods.virConnectListAllDomains(Handle, out var array, 0);
        if (count < 0)
        {
            throw LibvirtException.FromLastError("virConnectListAllDomains");
        }
        try
        {
            var domains = new List<LibvirtDomain>(count);
            for (var i = 0; i < count; i++)
            {
                domains.Add(new LibvirtDomain(new DomainHandle(((IntPtr*)array)[i]), this));
            }
            return domains;
        }
        finally
        {
            NativeMemory.Free((void*)array);
        }
    }

    /// <summary>The domain with this uuid, or null when there is none.</summary>
    public LibvirtDomain? LookupByUuid(string uuid)
    {
        var domain = NativeMethods.virDomainLookupByUUIDString(Handle, uuid);
        if (!domain.IsInvalid)
        {
            return new LibvirtDomain(domain, this);
        }
        var error = LibvirtException.FromLastError("virDomainLookupByUUIDString");
        return error.Code == LibvirtException.NoDomain ? null : throw error;
    }

    /// <summary>Defines (or redefines) a persistent domain; with <paramref name="validate"/> libvirt checks it against its schema.</summary>
    public LibvirtDomain Define(string xml, bool validate = true)
    {
        var domain = NativeMethods.virDomainDefineXMLFlags(Handle, xml, validate ? 1u : 0u);
        return domain.IsInvalid ? throw LibvirtException.FromLastError("virDomainDefineXMLFlags") : new LibvirtDomain(domain, this);
    }

    /// <summary>The host capabilities XML.</summary>
    public string GetCapabilities() => NativeText.TakeOwned(NativeMethods.virConnectGetCapabilities(Handle), "virConnectGetCapabilities");

    /// <summary>The host's CPU and memory summary.</summary>
    public HostNodeInfo GetNodeInfo()
    {
        NodeInfo info;
        if (NativeMethods.virNodeGetInfo(Handle, &info) < 0)
        {
            throw LibvirtException.FromLastError("virNodeGetInfo");
        }
        var model = Marshal.PtrToStringUTF8((IntPtr)info.Model) ?? "";
        return new HostNodeInfo(model, (long)info.Memory.Value, (int)info.Cpus, (int)info.Nodes, (int)info.Sockets, (int)info.Cores, (int)info.Threads);
    }

    /// <summary>How many CPUs the pin bitmaps cover.</summary>
    public int HostCpuCount => hostCpus ??= CountHostCpus();

    private int CountHostCpus()
    {
        var n = NativeMethods.virNodeGetCPUMap(Handle, IntPtr.Zero, IntPtr.Zero, 0);
        if (n > 0)
        {
            return n;
        }
        NativeMethods.virResetLastError();
        return GetNodeInfo().Cpus;
    }

    /// <summary>libvirt's version as major*1,000,000 + minor*1,000 + release.</summary>
    public long LibraryVersion =>
        NativeMethods.virConnectGetLibVersion(Handle, out var v) < 0 ? throw LibvirtException.FromLastError("virConnectGetLibVersion") : (long)v.Value;

    private static void Release(ConnectHandle old)
    {
        if (!old.IsClosed)
        {
            NativeMethods.virConnectUnregisterCloseCallback(old, &OnClosed);
            NativeMethods.virResetLastError();
        }
        old.Dispose();
    }

    public void Dispose()
    {
        Release(handle);
        if (self.IsAllocated)
        {
            self.Free();
        }
    }
}

/// <summary>Keepalive for remote connections: a probe every <see cref="IntervalSeconds"/>, dead after <see cref="Count"/> unanswered.</summary>
public sealed record KeepAlive(int IntervalSeconds, uint Count)
{
    public static KeepAlive Default { get; } = new(5, 3);
    public static KeepAlive Off { get; } = new(0, 0);
}

/// <summary>virNodeInfo: CPU model, memory (KiB) and CPU topology counts.</summary>
public sealed record HostNodeInfo(string Model, long MemoryKb, int Cpus, int Nodes, int Sockets, int Cores, int Threads);
