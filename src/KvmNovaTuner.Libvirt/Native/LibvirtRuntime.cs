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
            if (NativeMethods.virEventRegisterDefaultImpl() == 0)
            {
                var loop = new Thread(RunEventLoop) { IsBackground = true, Name = "libvirt-event-loop" };
                loop.Start();
            }
            initialised = true;
        }
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
