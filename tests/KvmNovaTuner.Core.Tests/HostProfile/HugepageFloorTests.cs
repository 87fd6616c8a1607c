using KvmNovaTuner.Core.HostProfile;

namespace KvmNovaTuner.Core.Tests.HostProfile;

/// <summary>Host safety (issue 14): no profile or controller lowers a pool below pages in use plus pages promised to guests.</summary>
public sealed class HugepageFloorTests
{
    private static readonly HostFacts FullPoolOnNode0 = SampleHosts.TwoNodeIntel with
    {
        Nodes =
        [
            SampleHosts.TwoNodeIntel.Nodes[0] with { Pools = [new HugepagePoolFacts(2048, 4096, 0, 0)] },
            SampleHosts.TwoNodeIntel.Nodes[1] with { Pools = [new HugepagePoolFacts(2048, 1024, 1024, 0)] },
        ],
    };

    private static ProfileItems Plan(HostFacts host, IReadOnlyList<GuestHugepageNeed>? guests = null) =>
        ProfileItemPlanner.Plan(new ResolvedProfile("virtual-host-latency", null, ["virtual-host-latency"], new Dictionary<string, string> { ["hugepages.2048kB"] = "512" }), host, guests);

    [Test]
    public void Profile_PoolOf4096PagesAllInUse_IsKeptAt4096NotLoweredTo512AndSaysWhy()
    {
        var planned = Plan(FullPoolOnNode0);

        Assert.Multiple(() =>
        {
            Assert.That(planned.Items.Single(i => i.Name == "hugepages.node0.2048kB").Desired, Is.EqualTo("4096"));
            Assert.That(planned.Items.Single(i => i.Name == "hugepages.node1.2048kB").Desired, Is.EqualTo("512"), "free pages may go");
            Assert.That(planned.Kept, Has.Count.EqualTo(1));
            Assert.That(planned.Kept[0], Does.Contain("hugepages.node0.2048kB: kept 4096 pages, not the profile's 512: 4096 pages in use"));
        });
    }

    [Test]
    public void Profile_StoppedGuestBoundToNode1_KeepsItsPagesThere()
    {
        var stopped = new GuestHugepageNeed("instance-0000000a", 2048, 1000, new HashSet<int> { 1 }, Active: false);

        var planned = Plan(FullPoolOnNode0, [stopped]);

        Assert.Multiple(() =>
        {
            Assert.That(planned.Items.Single(i => i.Name == "hugepages.node1.2048kB").Desired, Is.EqualTo("1000"));
            Assert.That(planned.Kept, Has.Some.Contains("hugepages.node1.2048kB: kept 1000 pages").And.Contains("1000 promised to 1 guest(s)").And.Contains("instance-0000000a"));
        });
    }

    [Test]
    public void Floor_RunningGuestNotYetTouchingItsPages_CountsForItsWholeNeed()
    {
        // free includes pages reserved by a running guest that it has not faulted in yet
        var running = new GuestHugepageNeed("g", 2048, 800, null, Active: true);

        var floor = HugepageFloor.Of(0, 2048, total: 1024, free: 1000, [running]);

        Assert.Multiple(() =>
        {
            Assert.That(floor.Pages, Is.EqualTo(800));
            Assert.That(floor.InUse, Is.EqualTo(24));
        });
    }

    [Test]
    public void Floor_OtherPageSizeOrOtherNode_DoesNotCount()
    {
        var guests = new[]
        {
            new GuestHugepageNeed("a", 1048576, 4, null, Active: false),
            new GuestHugepageNeed("b", 2048, 100, new HashSet<int> { 1 }, Active: false),
        };

        Assert.That(HugepageFloor.Of(0, 2048, 10, 10, guests).Pages, Is.Zero);
    }

    [Test]
    public void Controller_NeverReleasesPagesPromisedToAStoppedGuest()
    {
        var start = DateTimeOffset.UnixEpoch;
        var controller = new HugepagePoolController(new HugepageBudget(1 << 30), TimeSpan.FromMinutes(1));
        var pools = new[] { new PoolObservation(0, 2048, 1024, 1024) };
        var stopped = new GuestHugepageNeed("g", 2048, 600, null, Active: false);

        controller.Tick(start, pools, [stopped]);
        var decisions = controller.Tick(start.AddMinutes(5), pools, [stopped]);

        Assert.That(decisions.Single().NewTotal, Is.EqualTo(600));
    }

    [Test]
    public void GuestNeed_FromDomainWithHugepagesAndNodeset_IsPagesOfItsMemory()
    {
        var domain = new Core.State.DomainState { Uuid = "u", Name = "instance-1", MemoryKb = 4 * 1024 * 1024, HugepageSizeKb = 2048, NumaNodeset = "0-1", Active = false };

        var need = GuestHugepages.Need(domain);

        Assert.Multiple(() =>
        {
            Assert.That(need!.Pages, Is.EqualTo(2048));
            Assert.That(need.Nodes, Is.EquivalentTo(new[] { 0, 1 }));
            Assert.That(need.Active, Is.False);
            Assert.That(GuestHugepages.Need(domain with { HugepageSizeKb = null }), Is.Null);
        });
    }
}
