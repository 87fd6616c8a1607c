using System.Runtime.InteropServices;

namespace KvmNovaTuner.Libvirt.Native;

/// <summary><c>virTypedParameter</c>: 80-byte field name, int type, the value union at offset 88; 96 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 96)]
internal unsafe struct TypedParameter
{
    public const int FieldLength = 80;

    [FieldOffset(0)] public fixed byte Field[FieldLength];
    [FieldOffset(80)] public int Type;
    [FieldOffset(88)] public long LongValue;
    [FieldOffset(88)] public double DoubleValue;
    [FieldOffset(88)] public IntPtr StringValue;
}


/// <summary><c>virNodeInfo</c> (C <c>unsigned long memory</c> is <see cref="CULong"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct NodeInfo
{
    public fixed byte Model[32];
    public CULong Memory;
    public uint Cpus;
    public uint Mhz;
    public uint Nodes;
    public uint Sockets;
    public uint Cores;
    public uint Threads;
}

/// <summary><c>virDomainIOThreadInfo</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoThreadInfo
{
    public uint IoThreadId;
    public byte* CpuMap;
    public int CpuMapLength;
}

/// <summary>The head of <c>virError</c>: code, domain, message (libvirt-owned).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ErrorHead
{
    public int Code;
    public int Domain;
    public IntPtr Message;
}
