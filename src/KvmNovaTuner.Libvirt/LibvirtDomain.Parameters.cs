using KvmNovaTuner.Libvirt.Native;

namespace KvmNovaTuner.Libvirt;

/// <summary>Typed-parameter tunables: scheduler, blkio, memory, NUMA, block IO tune and interface bandwidth.</summary>
public sealed unsafe partial class LibvirtDomain
{
    private const uint StringOkay = 4;

    private delegate int Getter(TypedParameter* parameters, ref int count);

    private delegate int Setter(TypedParameter* parameters, int count);

    public IReadOnlyList<TypedParameterValue> GetSchedulerParameters(DomainImpact impact = DomainImpact.Current)
    {
        var type = NativeMethods.virDomainGetSchedulerType(handle, out var count);
        NativeText.TakeOwned(type, "virDomainGetSchedulerType");
        try
        {
            return ReadFixed(count, (p, ref n) => NativeMethods.virDomainGetSchedulerParametersFlags(handle, p, ref n, (uint)impact), "virDomainGetSchedulerParametersFlags");
        }
        catch (LibvirtException e) when (e.IsUnsupportedFlags && impact == DomainImpact.Current)
        {
            // The public API adds VIR_TYPED_PARAM_STRING_OKAY, which some drivers (test) refuse; the flagless call reads the same state.
            return ReadFixed(count, (p, ref n) => NativeMethods.virDomainGetSchedulerParameters(handle, p, ref n), "virDomainGetSchedulerParameters");
        }
    }

    public void SetSchedulerParameters(IReadOnlyList<TypedParameterValue> values, DomainImpact impact) =>
        Write(values, (p, n) => NativeMethods.virDomainSetSchedulerParametersFlags(handle, p, n, (uint)impact), "virDomainSetSchedulerParametersFlags");

    public IReadOnlyList<TypedParameterValue> GetBlkioParameters(DomainImpact impact = DomainImpact.Current) =>
        Read((p, ref n) => NativeMethods.virDomainGetBlkioParameters(handle, p, ref n, (uint)impact | StringOkay), "virDomainGetBlkioParameters");

    public void SetBlkioParameters(IReadOnlyList<TypedParameterValue> values, DomainImpact impact) =>
        Write(values, (p, n) => NativeMethods.virDomainSetBlkioParameters(handle, p, n, (uint)impact), "virDomainSetBlkioParameters");

    public IReadOnlyList<TypedParameterValue> GetMemoryParameters(DomainImpact impact = DomainImpact.Current) =>
        Read((p, ref n) => NativeMethods.virDomainGetMemoryParameters(handle, p, ref n, (uint)impact | StringOkay), "virDomainGetMemoryParameters");

    public void SetMemoryParameters(IReadOnlyList<TypedParameterValue> values, DomainImpact impact) =>
        Write(values, (p, n) => NativeMethods.virDomainSetMemoryParameters(handle, p, n, (uint)impact), "virDomainSetMemoryParameters");

    public IReadOnlyList<TypedParameterValue> GetNumaParameters(DomainImpact impact = DomainImpact.Current) =>
        Read((p, ref n) => NativeMethods.virDomainGetNumaParameters(handle, p, ref n, (uint)impact | StringOkay), "virDomainGetNumaParameters");

    public void SetNumaParameters(IReadOnlyList<TypedParameterValue> values, DomainImpact impact) =>
        Write(values, (p, n) => NativeMethods.virDomainSetNumaParameters(handle, p, n, (uint)impact), "virDomainSetNumaParameters");

    public IReadOnlyList<TypedParameterValue> GetBlockIoTune(string disk, DomainImpact impact = DomainImpact.Current) =>
        Read((p, ref n) => NativeMethods.virDomainGetBlockIoTune(handle, disk, p, ref n, (uint)impact | StringOkay), "virDomainGetBlockIoTune");

    public void SetBlockIoTune(string disk, IReadOnlyList<TypedParameterValue> values, DomainImpact impact) =>
        Write(values, (p, n) => NativeMethods.virDomainSetBlockIoTune(handle, disk, p, n, (uint)impact), "virDomainSetBlockIoTune");

    public IReadOnlyList<TypedParameterValue> GetInterfaceParameters(string device, DomainImpact impact = DomainImpact.Current) =>
        Read((p, ref n) => NativeMethods.virDomainGetInterfaceParameters(handle, device, p, ref n, (uint)impact | StringOkay), "virDomainGetInterfaceParameters");

    public void SetInterfaceParameters(string device, IReadOnlyList<TypedParameterValue> values, DomainImpact impact) =>
        Write(values, (p, n) => NativeMethods.virDomainSetInterfaceParameters(handle, device, p, n, (uint)impact), "virDomainSetInterfaceParameters");

    /// <summary>The two-call getter protocol: ask with zero parameters for the count, then fill.</summary>
    private static IReadOnlyList<TypedParameterValue> Read(Getter getter, string function)
    {
        var count = 0;
        Check(getter(null, ref count), function);
        return ReadFixed(count, getter, function);
    }

    private static IReadOnlyList<TypedParameterValue> ReadFixed(int count, Getter getter, string function)
    {
        if (count == 0)
        {
            return [];
        }
        using var buffer = TypedParameterBuffer.ForGetter(count);
        var filled = count;
        Check(getter(buffer.Pointer, ref filled), function);
        buffer.Count = filled;
        return buffer.Read();
    }

    private static void Write(IReadOnlyList<TypedParameterValue> values, Setter setter, string function)
    {
        using var buffer = TypedParameterBuffer.From(values);
        Check(setter(buffer.Pointer, buffer.Count), function);
    }
}
