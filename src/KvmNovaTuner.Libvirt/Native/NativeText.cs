using System.Runtime.InteropServices;

namespace KvmNovaTuner.Libvirt.Native;

/// <summary>Strings libvirt returns: caller-owned ones are copied and freed, libvirt-owned ones only copied.</summary>
internal static unsafe class NativeText
{
    public static string TakeOwned(IntPtr text, string function)
    {
        if (text == IntPtr.Zero)
        {
            throw LibvirtException.FromLastError(function);
        }
        try
        {
            return Marshal.PtrToStringUTF8(text) ?? "";
        }
        finally
        {
            NativeMemory.Free((void*)text);
        }
    }

    public static string Borrowed(IntPtr text, string function) =>
        text == IntPtr.Zero ? throw LibvirtException.FromLastError(function) : Marshal.PtrToStringUTF8(text) ?? "";
}
