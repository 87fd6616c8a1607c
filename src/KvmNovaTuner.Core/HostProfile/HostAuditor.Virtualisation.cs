namespace KvmNovaTuner.Core.HostProfile;

/// <summary>Rules for hardware virtualisation and second-level address translation.</summary>
public static partial class HostAuditor
{
    private static AuditFinding HardwareVirtualisation(HostFacts facts)
    {
        const string item = "virt.hardware";
        var flag = facts.CpuFlags.Contains("vmx") ? "vmx" : facts.CpuFlags.Contains("svm") ? "svm" : null;
        var kvm = facts.DevKvmPresent ? "/dev/kvm present" : "/dev/kvm absent";
        return (flag, facts.DevKvmPresent) switch
        {
            (not null, true) => new(item, FindingSeverity.Ok, $"{flag}, {kvm}", null, "hardware virtualisation available"),
            (not null, false) => new(item, FindingSeverity.Error, $"{flag}, {kvm}", null,
                "the CPU has hardware virtualisation but /dev/kvm is missing: load kvm_intel or kvm_amd"),
            (null, true) => new(item, FindingSeverity.Warning, $"no vmx/svm flag, {kvm}", null,
                "/dev/kvm without the vmx/svm flag: a nested or paravirtual host; guests run, expect lower performance"),
            _ => new(item, FindingSeverity.Error, $"no vmx/svm flag, {kvm}", null,
                "no hardware virtualisation: enable VT-x/AMD-V in the firmware; KVM guests cannot run"),
        };
    }

    private static AuditFinding SecondLevelPaging(HostFacts facts)
    {
        const string item = "virt.ept_npt";
        if (facts.IntelEpt is { } ept)
        {
            return IsOn(ept)
                ? new(item, FindingSeverity.Ok, $"ept={ept}", null, "EPT enabled in kvm_intel")
                : new(item, FindingSeverity.Warning, $"ept={ept}", null,
                    "EPT disabled: every guest page-table change traps to the host; set kvm_intel ept=1");
        }
        if (facts.AmdNpt is { } npt)
        {
            return IsOn(npt)
                ? new(item, FindingSeverity.Ok, $"npt={npt}", null, "NPT enabled in kvm_amd")
                : new(item, FindingSeverity.Warning, $"npt={npt}", null,
                    "NPT disabled: every guest page-table change traps to the host; set kvm_amd npt=1");
        }
        return new(item, FindingSeverity.Info, "unknown", null,
            "neither kvm_intel nor kvm_amd is loaded: EPT/NPT cannot be checked (nested or paravirtual KVM)");
    }
}
