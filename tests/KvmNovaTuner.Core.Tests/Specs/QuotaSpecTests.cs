using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Core.Tests.Specs;

public sealed class QuotaSpecTests
{
    [TestCase("quota:cpu_shares", "1024", "cpu_shares")]
    [TestCase("quota:cpu_period", "100000", "vcpu_period")]
    [TestCase("quota:cpu_quota", "50000", "vcpu_quota")]
    [TestCase("quota:cpu_quota", "-1", "vcpu_quota")]
    public void CpuQuota_MapsToLibvirtSchedulerNames(string key, string value, string libvirtName)
    {
        var result = SpecAssert.Parse((key, value));
        SpecAssert.IsClean(result);
        Assert.That(result.Spec.CpuQuota[libvirtName], Is.EqualTo(long.Parse(value)));
    }

    [TestCase("quota:cpu_period", "999", "outside 1000..1000000")]
    [TestCase("quota:cpu_period", "1000001", "outside 1000..1000000")]
    [TestCase("quota:cpu_quota", "500", "below libvirt's minimum")]
    [TestCase("quota:cpu_shares", "-1", "outside 0..262144")]
    [TestCase("quota:cpu_shares", "lots", "is not an integer")]
    public void CpuQuota_OutOfRange_IsAnError(string key, string value, string rule) =>
        SpecAssert.HasError(SpecAssert.Parse((key, value)), key, rule);

    [TestCase("total_bytes_sec")]
    [TestCase("read_bytes_sec")]
    [TestCase("write_bytes_sec")]
    [TestCase("total_iops_sec")]
    [TestCase("read_iops_sec")]
    [TestCase("write_iops_sec")]
    public void DiskQuota_MapsToLibvirtIoTuneNames(string name)
    {
        var result = SpecAssert.Parse(("quota:disk_" + name, "1000"));
        SpecAssert.IsClean(result);
        Assert.That(result.Spec.DiskQuota[name], Is.EqualTo(1000));
        SpecAssert.HasError(SpecAssert.Parse(("quota:disk_" + name, "-1")), "quota:disk_" + name, "outside 0..");
    }

    [TestCase("bytes", "read")]
    [TestCase("iops", "write")]
    public void DiskQuota_TotalWithReadOrWrite_IsAnError(string unit, string scope) =>
        SpecAssert.HasError(SpecAssert.Parse(($"quota:disk_total_{unit}_sec", "10"), ($"quota:disk_{scope}_{unit}_sec", "10")), $"quota:disk_{scope}_{unit}_sec", "cannot be set together");

    [Test]
    public void Vif_AllSixKeys_AreReadInNovasUnits()
    {
        var result = SpecAssert.Parse(("quota:vif_inbound_average", "1000"), ("quota:vif_inbound_peak", "2000"), ("quota:vif_inbound_burst", "100"),
            ("quota:vif_outbound_average", "500"), ("quota:vif_outbound_peak", "600"), ("quota:vif_outbound_burst", "50"));
        SpecAssert.IsClean(result);
        Assert.That(result.Spec.Inbound, Is.EqualTo(new VifBandwidth(1000, 2000, 100)));
        Assert.That(result.Spec.Outbound, Is.EqualTo(new VifBandwidth(500, 600, 50)));
    }

    [Test]
    public void Vif_PeakWithoutAverage_IsIgnoredWithAWarning()
    {
        var result = SpecAssert.Parse(("quota:vif_inbound_peak", "2000"));
        Assert.That(result.About("quota:vif_inbound_peak", DiagnosticSeverity.Warning).Single().Message, Does.Contain("only when quota:vif_inbound_average is set"));
        Assert.That(result.Spec.Inbound, Is.Null);
    }

    [Test]
    public void Vif_PeakBelowAverage_Warns() =>
        Assert.That(SpecAssert.Parse(("quota:vif_outbound_average", "1000"), ("quota:vif_outbound_peak", "10")).About("quota:vif_outbound_peak", DiagnosticSeverity.Warning), Has.Count.EqualTo(1));

    [TestCase("quota:vif_inbound_average", "-5", "is outside 0..")]
    [TestCase("quota:vif_outbound_burst", "x", "is not an integer")]
    public void Vif_NotANonNegativeInteger_IsAnError(string key, string value, string rule) =>
        SpecAssert.HasError(SpecAssert.Parse((key, value), ("quota:vif_outbound_average", "1")), key, rule);

    [Test]
    public void UnknownQuotaKey_IsAnErrorWithASuggestion() =>
        SpecAssert.HasError(SpecAssert.Parse(("quota:cpu_share", "10")), "quota:cpu_share", "did you mean quota:cpu_shares?");

    [Test]
    public void UnknownHwKey_Warns_KnownNonTuningHwKey_IsAccepted()
    {
        Assert.That(SpecAssert.Parse(("hw:cpu_polcy", "dedicated")).About("hw:cpu_polcy", DiagnosticSeverity.Warning), Has.Count.EqualTo(1));
        SpecAssert.IsClean(SpecAssert.Parse(("hw:watchdog_action", "reset")));
    }

    [Test]
    public void KeysOutsideNovaAndTunerNamespaces_AreIgnored() =>
        SpecAssert.IsClean(SpecAssert.Parse(("aggregate_instance_extra_specs:ssd", "true"), ("trait:HW_CPU_X86_AVX2", "required")));
}
