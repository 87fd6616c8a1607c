using System.Runtime.InteropServices;
using KvmNovaTuner.Libvirt.Native;

namespace KvmNovaTuner.Libvirt;

/// <summary>One libvirt domain: identity, XML, pinning and IO threads (tunables in LibvirtDomain.Parameters.cs).</summary>
public sealed unsafe partial class LibvirtDomain : IDisposable
{
    private const int UuidBufferLength = 37;
    private const uint XmlInactive = 2;

    private readonly DomainHandle handle;
    private readonly LibvirtConnection connection;
    private string? uuid;
    private string? name;

    internal LibvirtDomain(DomainHandle handle, LibvirtConnection connection)
    {
        this.handle = handle;
        this.connection = connection;
    }

    public string Uuid => uuid ??= ReadUuid();

    public string Name => name ??= NativeText.Borrowed(NativeMethods.virDomainGetName(handle), "virDomainGetName");

    public bool IsActive => NativeMethods.virDomainIsActive(handle) switch
    {
        < 0 => throw LibvirtException.FromLastError("virDomainIsActive"),
        var n => n == 1,
    };

    private string ReadUuid()
    {
        var buffer = stackalloc byte[UuidBufferLength];
        return NativeMethods.virDomainGetUUIDString(handle, buffer) < 0
            ? throw LibvirtException.FromLastError("virDomainGetUUIDString")
            : Marshal.PtrToStringUTF8((IntPtr)buffer) ?? "";
    }

    /// <summary>The domain XML: live (as running) or, with <paramref name="inactive"/>, the persistent definition.</summary>
    public string GetXml(bool inactive = false) =>
        NativeText.TakeOwned(NativeMethods.virDomainGetXMLDesc(handle, inactive ? XmlInactive : 0), "virDomainGetXMLDesc");

    public void Undefine() => Check(NativeMethods.virDomainUndefine(handle), "virDomainUndefine");

    /// <summary>Starts a defined domain (a cold boot from the persistent definition).</summary>
    public void Start() => Check(NativeMethods.virDomainCreate(handle), "virDomainCreate");

    /// <summary>Stops the domain immediately (power off).</summary>
    public void Destroy() => Check(NativeMethods.virDomainDestroy(handle), "virDomainDestroy");

    public void PinVcpu(int vcpu, CpuSet cpus, DomainImpact impact)
    {
        var map = cpus.ToBitmap(connection.HostCpuCount);
        fixed (byte* p = map)
        {
            Check(NativeMethods.virDomainPinVcpuFlags(handle, (uint)vcpu, p, map.Length, (uint)impact), "virDomainPinVcpuFlags");
        }
    }

    /// <summary>The affinity of each of the first <paramref name="vcpus"/> vCPUs.</summary>
    public IReadOnlyList<CpuSet> GetVcpuPins(int vcpus, DomainImpact impact = DomainImpact.Current)
    {
        var maplen = (connection.HostCpuCount + 7) / 8;
        var maps = new byte[Math.Max(vcpus, 1) * maplen];
        int n;
        fixed (byte* p = maps)
        {
            n = NativeMethods.virDomainGetVcpuPinInfo(handle, vcpus, p, maplen, (uint)impact);
        }
        Check(n, "virDomainGetVcpuPinInfo");
        return Enumerable.Range(0, n).Select(i => CpuSet.FromBitmap(maps.AsSpan(i * maplen, maplen))).ToList();
    }

    public void PinEmulator(CpuSet cpus, DomainImpact impact)
    {
        var map = cpus.ToBitmap(connection.HostCpuCount);
        fixed (byte* p = map)
        {
            Check(NativeMethods.virDomainPinEmulator(handle, p, map.Length, (uint)impact), "virDomainPinEmulator");
        }
    }

    public CpuSet GetEmulatorPin(DomainImpact impact = DomainImpact.Current)
    {
        var map = new byte[(connection.HostCpuCount + 7) / 8];
        fixed (byte* p = map)
        {
            Check(NativeMethods.virDomainGetEmulatorPinInfo(handle, p, map.Length, (uint)impact), "virDomainGetEmulatorPinInfo");
        }
        return CpuSet.FromBitmap(map);
    }

    public void PinIoThread(int ioThreadId, CpuSet cpus, DomainImpact impact)
    {
        var map = cpus.ToBitmap(connection.HostCpuCount);
        fixed (byte* p = map)
        {
            Check(NativeMethods.virDomainPinIOThread(handle, (uint)ioThreadId, p, map.Length, (uint)impact), "virDomainPinIOThread");
        }
    }

    /// <summary>IO thread id → its affinity.</summary>
    public IReadOnlyDictionary<int, CpuSet> GetIoThreads(DomainImpact impact = DomainImpact.Current)
    {
        var n = NativeMethods.virDomainGetIOThreadInfo(handle, out var array, (uint)impact);
        Check(n, "virDomainGetIOThreadInfo");
        var result = new SortedDictionary<int, CpuSet>();
        try
        {
            for (var i = 0; i < n; i++)
            {
                var info = (IoThreadInfo*)((IntPtr*)array)[i];
                result[(int)info->IoThreadId] = CpuSet.FromBitmap(new ReadOnlySpan<byte>(info->CpuMap, info->CpuMapLength));
                NativeMethods.virDomainIOThreadInfoFree((IntPtr)info);
            }
        }
        finally
        {
            NativeMemory.Free((void*)array);
        }
        return result;
    }

    public void AddIoThread(int ioThreadId, DomainImpact impact) =>
        Check(NativeMethods.virDomainAddIOThread(handle, (uint)ioThreadId, (uint)impact), "virDomainAddIOThread");

    public void DeleteIoThread(int ioThreadId, DomainImpact impact) =>
        Check(NativeMethods.virDomainDelIOThread(handle, (uint)ioThreadId, (uint)impact), "virDomainDelIOThread");

    private static void Check(int rc, string function)
    {
        if (rc < 0)
        {
            throw LibvirtException.FromLastError(function);
        }
    }

    public void Dispose() => handle.Dispose();
}
