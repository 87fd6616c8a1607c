using System.Runtime.InteropServices;
using KvmNovaTuner.Libvirt.Native;

namespace KvmNovaTuner.Libvirt;

/// <summary>A failed libvirt call, carrying libvirt's error code, error domain and message.</summary>
public sealed class LibvirtException : Exception
{
    /// <summary>VIR_ERR_NO_SUPPORT: the driver does not implement the call.</summary>
    public const int NoSupport = 3;
    /// <summary>VIR_ERR_INVALID_ARG: also what drivers report for flags they do not support.</summary>
    public const int InvalidArgument = 8;
    /// <summary>VIR_ERR_NO_DOMAIN.</summary>
    public const int NoDomain = 42;
    /// <summary>VIR_ERR_OPERATION_INVALID.</summary>
    public const int OperationInvalid = 55;
    /// <summary>VIR_ERR_ARGUMENT_UNSUPPORTED.</summary>
    public const int ArgumentUnsupported = 74;

    public LibvirtException(string function, int code, int errorDomain, string libvirtMessage)
        : base($"{function}: {libvirtMessage} (libvirt error {code})")
    {
        Function = function;
        Code = code;
        ErrorDomain = errorDomain;
        LibvirtMessage = libvirtMessage;
    }

    /// <summary>The C function that failed.</summary>
    public string Function { get; }
    /// <summary>libvirt's <c>virErrorNumber</c>.</summary>
    public int Code { get; }
    /// <summary>libvirt's <c>virErrorDomain</c> (which part of libvirt raised it).</summary>
    public int ErrorDomain { get; }
    /// <summary>libvirt's own message.</summary>
    public string LibvirtMessage { get; }

    /// <summary>True when the driver rejected the flags (for example --live/--config on the test driver).</summary>
    public bool IsUnsupportedFlags =>
        Code is InvalidArgument or ArgumentUnsupported or NoSupport &&
        LibvirtMessage.Contains("flag", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads (and clears) the calling thread's last libvirt error.</summary>
    internal static LibvirtException FromLastError(string function)
    {
        var error = NativeMethods.virGetLastError();
        if (error == IntPtr.Zero)
        {
            return new LibvirtException(function, -1, 0, "failed without an error message");
        }
        var head = Marshal.PtrToStructure<ErrorHead>(error);
        var message = head.Message == IntPtr.Zero ? "no message" : Marshal.PtrToStringUTF8(head.Message) ?? "no message";
        NativeMethods.virResetLastError();
        return new LibvirtException(function, head.Code, head.Domain, message);
    }
}
