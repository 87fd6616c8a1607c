using System.Runtime.InteropServices;

namespace KvmNovaTuner.Libvirt.Native;

/// <summary>
/// One-time process setup for libvirt: initialise the library, silence its default stderr error printing
/// (errors reach callers as <see cref="LibvirtException"/> instead), and run libvirt's default event loop on a
/// background thread, which keepalive on remote connections needs.
/// </summary>
public static unsafe class LibvirtRuntime
{
    private static readonly Lock Gate = new();
    private static bool initialised;

    /// <summary>True when libvirt.so.0 can be loaded; otherwise <paramref name="reason"/> says why.</summary>
    public static bool IsAvailable(out string reason)
    {
        if (NativeLibrary.TryLoad(NativeMethods.Library, out var handle))
        {
            NativeLibrary.Free(handle);
            reason = "";
            return true;
        }
        reason = $"{NativeMethods.Library} cannot be loaded (install libvirt0: scripts/services.sh install libvirt)";
        return false;
    }

    internal static void EnsureInitialised()
    {
        lock (Gate)
        {
            if (initialised)
            {
                return;
            }
            if (NativeMethods.virInitialize() < 0)
            {
                throw LibvirtException.FromLastError("virInitialize");
            }
            NativeMethods.virSetErrorFunc(IntPtr.Zero, &IgnoreError);
            SilenceLibxml2();
            if (NativeMethods.virEventRegisterDefaultImpl() == 0)
            {
                var loop = new Thread(RunEventLoop) { IsBackground = true, Name = "libvirt-event-loop" };
                loop.Start();
            }
            initialised = true;
        }
    }

    /// <summary>
    /// libxml2 (which libvirt parses XML with) prints I/O warnings such as "failed to load external entity" to
    /// stderr before libvirt turns them into an error; its generic error handler is set to a no-op as well.
    /// </summary>
    private static void SilenceLibxml2()
    {
        if (NativeLibrary.TryLoad("libxml2.so.2", out var libxml2) &&
            NativeLibrary.TryGetExport(libxml2, "xmlSetGenericErrorFunc", out var export))
        {
            ((delegate* unmanaged<IntPtr, delegate* unmanaged<IntPtr, IntPtr, void>, void>)export)(IntPtr.Zero, &IgnoreXmlError);
        }
    }

    [UnmanagedCallersOnly]
    private static void IgnoreXmlError(IntPtr context, IntPtr message)
    {
        // Deliberately empty (libxml2's handler is variadic; the arguments after the format are never read).
    }

    private static void RunEventLoop()
    {
        while (NativeMethods.virEventRunDefaultImpl() >= 0)
        {
        }
    }

    [UnmanagedCallersOnly]
    private static void IgnoreError(IntPtr userData, IntPtr error)
    {
        // Deliberately empty: the error stays available through virGetLastError on the calling thread.
    }
}
