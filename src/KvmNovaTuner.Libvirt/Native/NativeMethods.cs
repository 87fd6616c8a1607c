using System.Runtime.InteropServices;

namespace KvmNovaTuner.Libvirt.Native;

/// <summary>
/// The libvirt C entry points the tuner uses. Ownership rules: strings libvirt returns as <c>const char*</c>
/// stay libvirt's (returned as <see cref="IntPtr"/>, never marshalled as string); results documented as
/// caller-owned are freed with <see cref="NativeMemory.Free"/>; C <c>unsigned long</c> is <see cref="CULong"/>.
/// </summary>
internal static unsafe partial class NativeMethods
{
    public const string Library = "libvirt.so.0";

    [LibraryImport(Library)] public static partial int virInitialize();
    [LibraryImport(Library)] public static partial void virSetErrorFunc(IntPtr userData, delegate* unmanaged<IntPtr, IntPtr, void> handler);
    [LibraryImport(Library)] public static partial IntPtr virGetLastError();
    [LibraryImport(Library)] public static partial void virResetLastError();
    [LibraryImport(Library)] public static partial int virEventRegisterDefaultImpl();
    [LibraryImport(Library)] public static partial int virEventRunDefaultImpl();

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial ConnectHandle virConnectOpen(string? name);
    [LibraryImport(Library)] public static partial int virConnectClose(IntPtr conn);
    [LibraryImport(Library)] public static partial int virConnectIsAlive(ConnectHandle conn);
    [LibraryImport(Library)] public static partial int virConnectSetKeepAlive(ConnectHandle conn, int interval, uint count);
    [LibraryImport(Library)] public static partial int virConnectRegisterCloseCallback(ConnectHandle conn, delegate* unmanaged<IntPtr, int, IntPtr, void> callback, IntPtr opaque, delegate* unmanaged<IntPtr, void> free);
    [LibraryImport(Library)] public static partial int virConnectUnregisterCloseCallback(ConnectHandle conn, delegate* unmanaged<IntPtr, int, IntPtr, void> callback);
    [LibraryImport(Library)] public static partial IntPtr virConnectGetCapabilities(ConnectHandle conn);
    [LibraryImport(Library)] public static partial int virConnectGetLibVersion(ConnectHandle conn, out CULong version);
    [LibraryImport(Library)] public static partial int virConnectListAllDomains(ConnectHandle conn, out IntPtr domains, uint flags);
    [LibraryImport(Library)] public static partial int virNodeGetInfo(ConnectHandle conn, NodeInfo* info);
    [LibraryImport(Library)] public static partial int virNodeGetCPUMap(ConnectHandle conn, IntPtr cpumap, IntPtr online, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial DomainHandle virDomainLookupByUUIDString(ConnectHandle conn, string uuid);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial DomainHandle virDomainDefineXMLFlags(ConnectHandle conn, string xml, uint flags);
    [LibraryImport(Library)] public static partial int virDomainFree(IntPtr domain);
    [LibraryImport(Library)] public static partial int virDomainUndefine(DomainHandle domain);
    [LibraryImport(Library)] public static partial int virDomainCreate(DomainHandle domain);
    [LibraryImport(Library)] public static partial int virDomainDestroy(DomainHandle domain);
    [LibraryImport(Library)] public static partial int virDomainGetUUIDString(DomainHandle domain, byte* buffer);
    [LibraryImport(Library)] public static partial IntPtr virDomainGetName(DomainHandle domain);
    [LibraryImport(Library)] public static partial int virDomainIsActive(DomainHandle domain);
    [LibraryImport(Library)] public static partial IntPtr virDomainGetXMLDesc(DomainHandle domain, uint flags);

    [LibraryImport(Library)] public static partial int virDomainPinVcpuFlags(DomainHandle domain, uint vcpu, byte* cpumap, int maplen, uint flags);
    [LibraryImport(Library)] public static partial int virDomainGetVcpuPinInfo(DomainHandle domain, int ncpumaps, byte* cpumaps, int maplen, uint flags);
    [LibraryImport(Library)] public static partial int virDomainPinEmulator(DomainHandle domain, byte* cpumap, int maplen, uint flags);
    [LibraryImport(Library)] public static partial int virDomainGetEmulatorPinInfo(DomainHandle domain, byte* cpumap, int maplen, uint flags);
    [LibraryImport(Library)] public static partial int virDomainPinIOThread(DomainHandle domain, uint iothreadId, byte* cpumap, int maplen, uint flags);
    [LibraryImport(Library)] public static partial int virDomainGetIOThreadInfo(DomainHandle domain, out IntPtr info, uint flags);
    [LibraryImport(Library)] public static partial void virDomainIOThreadInfoFree(IntPtr info);
    [LibraryImport(Library)] public static partial int virDomainAddIOThread(DomainHandle domain, uint iothreadId, uint flags);
    [LibraryImport(Library)] public static partial int virDomainDelIOThread(DomainHandle domain, uint iothreadId, uint flags);

    [LibraryImport(Library)] public static partial IntPtr virDomainGetSchedulerType(DomainHandle domain, out int nparams);
    [LibraryImport(Library)] public static partial int virDomainGetSchedulerParameters(DomainHandle domain, TypedParameter* parameters, ref int nparams);
    [LibraryImport(Library)] public static partial int virDomainGetSchedulerParametersFlags(DomainHandle domain, TypedParameter* parameters, ref int nparams, uint flags);
    [LibraryImport(Library)] public static partial int virDomainSetSchedulerParametersFlags(DomainHandle domain, TypedParameter* parameters, int nparams, uint flags);
    [LibraryImport(Library)] public static partial int virDomainGetBlkioParameters(DomainHandle domain, TypedParameter* parameters, ref int nparams, uint flags);
    [LibraryImport(Library)] public static partial int virDomainSetBlkioParameters(DomainHandle domain, TypedParameter* parameters, int nparams, uint flags);
    [LibraryImport(Library)] public static partial int virDomainGetMemoryParameters(DomainHandle domain, TypedParameter* parameters, ref int nparams, uint flags);
    [LibraryImport(Library)] public static partial int virDomainSetMemoryParameters(DomainHandle domain, TypedParameter* parameters, int nparams, uint flags);
    [LibraryImport(Library)] public static partial int virDomainGetNumaParameters(DomainHandle domain, TypedParameter* parameters, ref int nparams, uint flags);
    [LibraryImport(Library)] public static partial int virDomainSetNumaParameters(DomainHandle domain, TypedParameter* parameters, int nparams, uint flags);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainGetBlockIoTune(DomainHandle domain, string disk, TypedParameter* parameters, ref int nparams, uint flags);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainSetBlockIoTune(DomainHandle domain, string disk, TypedParameter* parameters, int nparams, uint flags);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainGetInterfaceParameters(DomainHandle domain, string device, TypedParameter* parameters, ref int nparams, uint flags);
    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int virDomainSetInterfaceParameters(DomainHandle domain, string device, TypedParameter* parameters, int nparams, uint flags);

    [LibraryImport(Library)] public static partial void virTypedParamsClear(TypedParameter* parameters, int nparams);
}
