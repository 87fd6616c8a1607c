using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Facts;
using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.Profiles;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

/// <summary>Audits THIS machine through HostRoot "/" — read only: nothing here writes.</summary>
public sealed class RealHostAuditTests
{
    [Test]
    public async Task Audit_ThisMachine_ReportsEveryAreaAndPrintsFindings()
    {
        var facts = await new HostFactsReader(HostRoot.Real).ReadAsync();
        var findings = HostAuditor.Audit(facts, FlavorDemand.None);
        foreach (var finding in findings)
        {
            await TestContext.Progress.WriteLineAsync($"host audit: {finding.Item,-28} {finding.Severity,-8} {finding.Value} -- {finding.Message}");
        }
        var items = findings.Select(f => f.Item).ToList();
        Assert.That(items, Is.SupersetOf(new[] { "virt.hardware", "virt.ept_npt", "thp.enabled", "thp.defrag", "ksm", "numa.nodes", "numa.balancing", "vhost_net" }));
        if (File.Exists("/proc/cpuinfo"))
        {
            Assert.That(facts.CpuFlags, Is.Not.Empty, "a Linux host lists CPU flags");
        }
    }

    [Test]
    public async Task Verify_ThisMachineAgainstVirtualHost_ReadsWithoutWriting()
    {
        var plan = await ProfilePlanning.PlanAsync(HostRoot.Real, await ProfileCatalog.LoadAsync([]), "virtual-host");
        var verify = await new HostProfileApplier(HostRoot.Real, null).VerifyAsync(plan.Items.Items);
        foreach (var item in verify)
        {
            await TestContext.Progress.WriteLineAsync($"host verify virtual-host: {item.Item,-34} {(item.Pass ? "pass" : "FAIL")} wanted {item.Desired} actual {item.Actual ?? "-"}");
        }
        Assert.That(verify.Select(v => v.Item), Does.Contain("vm.transparent_hugepages"));
    }
}
