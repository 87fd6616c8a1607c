using KvmNovaTuner.Core.HostProfile;

namespace KvmNovaTuner.Core.Tests.HostProfile;

public sealed class ProfileItemPlannerTests
{
    private static ProfileItems Plan(params (string Key, string Value)[] settings) =>
        ProfileItemPlanner.Plan(new ResolvedProfile("p", null, ["p"], settings.ToDictionary(s => s.Key, s => s.Value)), SampleHosts.TwoNodeIntel);

    [Test]
    public void Plan_ThpSettings_AreChoiceFilesUnderTransparentHugepage()
    {
        var items = Plan(("vm.transparent_hugepages", "never"), ("vm.transparent_hugepage_defrag", "defer")).Items;
        Assert.That(items, Is.EquivalentTo(new[]
        {
            new ManagedItem("vm.transparent_hugepages", "/sys/kernel/mm/transparent_hugepage/enabled", "never", ItemStyle.Choice),
            new ManagedItem("vm.transparent_hugepage_defrag", "/sys/kernel/mm/transparent_hugepage/defrag", "defer", ItemStyle.Choice),
        }));
    }

    [Test]
    public void Plan_KsmAndSysctl_MapToTheirFiles()
    {
        var items = Plan(("ksm.run", "2"), ("sysctl.kernel.numa_balancing", "0")).Items;
        Assert.That(items.Select(i => i.HostPath), Is.EquivalentTo(new[] { "/sys/kernel/mm/ksm/run", "/proc/sys/kernel/numa_balancing" }));
    }

    [Test]
    public void Plan_Hugepages_ExpandOverEveryNodeOfferingTheSize()
    {
        var items = Plan(("hugepages.2048kB", "512")).Items;
        Assert.That(items.Select(i => (i.Name, i.HostPath, i.Desired)), Is.EquivalentTo(new[]
        {
            ("hugepages.node0.2048kB", "/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", "512"),
            ("hugepages.node1.2048kB", "/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages", "512"),
        }));
    }

    [Test]
    public void Plan_HugepageSizeNoNodeOffers_IsAProblem()
    {
        var planned = Plan(("hugepages.4096kB", "1"));
        Assert.Multiple(() =>
        {
            Assert.That(planned.Items, Is.Empty);
            Assert.That(planned.Problems, Has.One.Contains("no NUMA node offers 4096 kB pages"));
        });
    }

    [Test]
    public void Plan_DiskScheduler_CoversRealDevicesThatOfferIt()
    {
        var items = Plan(("disk.scheduler", "bfq")).Items;
        Assert.That(items.Select(i => i.Name), Is.EqualTo(new[] { "disk.scheduler.sda" }));
    }

    [TestCase("bogus.key", "unknown setting 'bogus.key'")]
    [TestCase("sysctl.../etc/passwd", "unknown setting")]
    [TestCase("hugepages.big", "expected hugepages.<size>kB")]
    public void Plan_BadSetting_IsAProblemNotAnItem(string key, string problem)
    {
        var planned = Plan((key, "1"));
        Assert.Multiple(() =>
        {
            Assert.That(planned.Items, Is.Empty);
            Assert.That(planned.Problems, Has.One.Contains(problem));
        });
    }

    [Test]
    public void Plan_ControllerKeys_ManageNoFile()
    {
        var planned = Plan(("controller.ksm_adaptive", "true"));
        Assert.That(planned.Items.Count + planned.Problems.Count, Is.Zero);
    }

    [TestCase("always [madvise] never", true)]
    [TestCase("madvise", true)]
    [TestCase("[always] madvise never", false)]
    public void ManagedItem_ChoiceFile_IsSatisfiedByTheBracketedValue(string text, bool expected)
    {
        var item = new ManagedItem("vm.transparent_hugepages", "/x", "madvise", ItemStyle.Choice);
        Assert.That(item.IsSatisfiedBy(text), Is.EqualTo(expected));
    }

    [Test]
    public void Plan_AdaptiveKsm_MarksTheControllersKnobsAdaptive()
    {
        var items = Plan(("ksm.run", "1"), ("ksm.merge_across_nodes", "1"), ("controller.ksm_adaptive", "true")).Items;
        Assert.That(items.ToDictionary(i => i.Name, i => i.Adaptive),
            Is.EquivalentTo(new Dictionary<string, bool> { ["ksm.run"] = true, ["ksm.merge_across_nodes"] = false }));
    }

    [Test]
    public void Plan_FixedKsm_IsHeldToItsValue()
    {
        Assert.That(Plan(("ksm.run", "2")).Items.Single().Adaptive, Is.False);
    }
}
