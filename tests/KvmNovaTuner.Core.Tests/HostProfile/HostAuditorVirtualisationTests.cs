using KvmNovaTuner.Core.HostProfile;
using static KvmNovaTuner.Core.Tests.HostProfile.SampleHosts;

namespace KvmNovaTuner.Core.Tests.HostProfile;

public sealed class HostAuditorVirtualisationTests
{
    [TestCase("vmx", true, FindingSeverity.Ok)]
    [TestCase("svm", true, FindingSeverity.Ok)]
    [TestCase("vmx", false, FindingSeverity.Error)]
    [TestCase(null, true, FindingSeverity.Warning)]
    [TestCase(null, false, FindingSeverity.Error)]
    public void Audit_HardwareVirtualisation_DependsOnFlagAndDevKvm(string? flag, bool devKvm, FindingSeverity expected)
    {
        var facts = TwoNodeIntel with
        {
            CpuFlags = flag is null ? new HashSet<string> { "fpu", "hypervisor" } : new HashSet<string> { "fpu", flag },
            DevKvmPresent = devKvm,
        };
        Assert.That(Finding(facts, FlavorDemand.None, "virt.hardware").Severity, Is.EqualTo(expected));
    }

    [Test]
    public void Audit_NoVirtualisationAtAll_MakesTheAuditFail()
    {
        var facts = TwoNodeIntel with { CpuFlags = new HashSet<string>(), DevKvmPresent = false };
        Assert.That(HostAuditor.HasErrors(HostAuditor.Audit(facts, FlavorDemand.None)), Is.True);
    }

    [Test]
    public void Audit_WellTunedHost_HasNoErrorsOrWarnings()
    {
        var findings = HostAuditor.Audit(TwoNodeIntel, FlavorDemand.None);
        Assert.That(findings.Where(f => f.Severity >= FindingSeverity.Warning), Is.Empty);
    }

    [TestCase("Y", FindingSeverity.Ok)]
    [TestCase("1", FindingSeverity.Ok)]
    [TestCase("N", FindingSeverity.Warning)]
    [TestCase("0", FindingSeverity.Warning)]
    public void Audit_IntelEpt_IsCheckedFromKvmIntelParameter(string ept, FindingSeverity expected)
    {
        var finding = Finding(TwoNodeIntel with { IntelEpt = ept }, FlavorDemand.None, "virt.ept_npt");
        Assert.Multiple(() =>
        {
            Assert.That(finding.Severity, Is.EqualTo(expected));
            Assert.That(finding.Value, Is.EqualTo($"ept={ept}"));
        });
    }

    [TestCase("1", FindingSeverity.Ok)]
    [TestCase("0", FindingSeverity.Warning)]
    public void Audit_AmdNpt_IsCheckedFromKvmAmdParameter(string npt, FindingSeverity expected)
    {
        var facts = TwoNodeIntel with { IntelEpt = null, AmdNpt = npt, CpuFlags = new HashSet<string> { "svm" } };
        Assert.That(Finding(facts, FlavorDemand.None, "virt.ept_npt").Severity, Is.EqualTo(expected));
    }

    [Test]
    public void Audit_NoKvmVendorModule_ReportsEptUnknownAsInfo()
    {
        var finding = Finding(TwoNodeIntel with { IntelEpt = null, AmdNpt = null }, FlavorDemand.None, "virt.ept_npt");
        Assert.That(finding.Severity, Is.EqualTo(FindingSeverity.Info));
    }
}
