using System.Globalization;

namespace KvmNovaTuner.Libvirt.Execution;

/// <summary>vCPU affinity: target <c>domain/UUID/vcpu/N</c>, setting <c>cpuset</c>.</summary>
internal sealed class VcpuPinTunable : ILiveTunable
{
    public IReadOnlyDictionary<string, string> Read(LibvirtDomain domain, ActionTarget target, IReadOnlyDictionary<string, string> wanted, DomainImpact impact)
    {
        var vcpu = TargetIds.Number(target, "vcpu");
        var pins = domain.GetVcpuPins(vcpu + 1, impact);
        return pins.Count > vcpu
            ? new Dictionary<string, string> { ["cpuset"] = pins[vcpu].ToString() }
            : throw new FormatException($"the domain has {pins.Count} vCPU(s); there is no vCPU {vcpu}");
    }

    public void Write(LibvirtDomain domain, ActionTarget target, IReadOnlyDictionary<string, string> settings, DomainImpact impact) =>
        domain.PinVcpu(TargetIds.Number(target, "vcpu"), CpuSet.Parse(settings["cpuset"]), impact);
}

/// <summary>Emulator thread affinity: target <c>domain/UUID</c>, setting <c>cpuset</c>.</summary>
internal sealed class EmulatorPinTunable : ILiveTunable
{
    public IReadOnlyDictionary<string, string> Read(LibvirtDomain domain, ActionTarget target, IReadOnlyDictionary<string, string> wanted, DomainImpact impact) =>
        new Dictionary<string, string> { ["cpuset"] = domain.GetEmulatorPin(impact).ToString() };

    public void Write(LibvirtDomain domain, ActionTarget target, IReadOnlyDictionary<string, string> settings, DomainImpact impact) =>
        domain.PinEmulator(CpuSet.Parse(settings["cpuset"]), impact);
}

/// <summary>IO thread affinity: settings <c>iothread_id</c> (identity, not changed) and <c>cpuset</c>.</summary>
internal sealed class IoThreadPinTunable : ILiveTunable
{
    public IReadOnlyDictionary<string, string> Read(LibvirtDomain domain, ActionTarget target, IReadOnlyDictionary<string, string> wanted, DomainImpact impact)
    {
        var id = TargetIds.IoThread(target, wanted);
        return domain.GetIoThreads(impact).TryGetValue(id, out var cpus)
            ? new Dictionary<string, string> { ["iothread_id"] = id.ToString(CultureInfo.InvariantCulture), ["cpuset"] = cpus.ToString() }
            : throw new FormatException($"the domain has no IO thread {id}");
    }

    public void Write(LibvirtDomain domain, ActionTarget target, IReadOnlyDictionary<string, string> settings, DomainImpact impact) =>
        domain.PinIoThread(TargetIds.IoThread(target, settings), CpuSet.Parse(settings["cpuset"]), impact);
}

/// <summary>IO thread existence: setting <c>iothread_id</c>; empty text means "no such IO thread" (rollback deletes it).</summary>
internal sealed class IoThreadAddTunable : ILiveTunable
{
    public IReadOnlyDictionary<string, string> Read(LibvirtDomain domain, ActionTarget target, IReadOnlyDictionary<string, string> wanted, DomainImpact impact)
    {
        var id = TargetIds.IoThread(target, wanted);
        var present = domain.GetIoThreads(impact).ContainsKey(id);
        return new Dictionary<string, string> { ["iothread_id"] = present ? id.ToString(CultureInfo.InvariantCulture) : "" };
    }

    public void Write(LibvirtDomain domain, ActionTarget target, IReadOnlyDictionary<string, string> settings, DomainImpact impact)
    {
        var id = TargetIds.IoThread(target, settings);
        if (settings["iothread_id"].Length == 0)
        {
            domain.DeleteIoThread(id, impact);
        }
        else
        {
            domain.AddIoThread(id, impact);
        }
    }
}

/// <summary>Numbers in targets and settings.</summary>
internal static class TargetIds
{
    public static int Number(ActionTarget target, string part) =>
        target.Part == part && int.TryParse(target.Id, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new FormatException($"target '{target}' does not end in /{part}/N");

    /// <summary>The IO thread id from the target (<c>/iothread/N</c>), else from the <c>iothread_id</c> setting.</summary>
    public static int IoThread(ActionTarget target, IReadOnlyDictionary<string, string>? settings)
    {
        if (target.Part == "iothread")
        {
            return Number(target, "iothread");
        }
        return settings is not null && settings.TryGetValue("iothread_id", out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new FormatException($"target '{target}' names no IO thread (use /iothread/N or the iothread_id setting)");
    }
}
