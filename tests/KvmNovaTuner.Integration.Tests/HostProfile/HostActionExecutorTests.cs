using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.HostTuning.Controllers;
using KvmNovaTuner.HostTuning.Executors;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Integration.Tests.HostProfile;

public sealed class HostActionExecutorTests
{
    private const string Node1Pool = "/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages";
    private FakeHostTree _tree = null!;
    private HostActionExecutor _executor = null!;

    [SetUp]
    public void CreateTree()
    {
        _tree = FakeHostTree.Create();
        var controller = new HugepagePoolController(new HugepageBudget(512 * 1024), TimeSpan.FromMinutes(5));
        _executor = new HostActionExecutor(new HugepagePoolWriter(_tree.Root), controller, new FakeTimeProvider());
    }

    [TearDown]
    public void DeleteTree() => _tree.Dispose();

    private static PlanAction Pool(string node, string size, string pages) => new(
        ActionKinds.HugepagePool, $"node/{node}/hugepages-{size}kB",
        new Dictionary<string, string> { ["node"] = node, ["page_size_kb"] = size, ["nr_hugepages"] = pages },
        ActionTiming.Host, "hw:mem_page_size=2MB");

    private async Task<ActionResult> RunAsync(PlanAction action, bool dryRun = false)
    {
        var plan = new Plan("uuid-1", "instance.create.start", "compute-1", [action], []);
        return (await _executor.ExecuteAsync(plan, [action], dryRun)).Single();
    }

    [Test]
    public async Task Execute_GrowWithinBudget_WritesTheNodesPoolAndReadsItBack()
    {
        var result = await RunAsync(Pool("1", "2048", "200"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ActionStatus.Applied));
            Assert.That(_tree.Read(Node1Pool), Is.EqualTo("200"));
            Assert.That(result.Before!["nr_hugepages"], Is.EqualTo("0"));
            Assert.That(result.After!["nr_hugepages"], Is.EqualTo("200"));
            Assert.That(_tree.Read(Node1Pool.Replace("node1", "node0", StringComparison.Ordinal)), Is.EqualTo("0"), "only the named node grows");
        });
    }

    [Test]
    public async Task Execute_BeyondBudget_GrowsToTheBudgetAndReportsShortage()
    {
        var result = await RunAsync(Pool("1", "2048", "300"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ActionStatus.Failed));
            Assert.That(result.Message, Does.Contain("44 pages short"));
            Assert.That(_tree.Read(Node1Pool), Is.EqualTo("256"));
        });
    }

    [Test]
    public async Task Execute_PoolAlreadyLargeEnough_IsUnchanged()
    {
        _tree.SetPool(1, 2048, 200, 200);
        var result = await RunAsync(Pool("1", "2048", "100"));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ActionStatus.Unchanged));
            Assert.That(_tree.Read(Node1Pool), Is.EqualTo("200"));
        });
    }

    [Test]
    public async Task Execute_DryRun_WritesNothing()
    {
        var result = await RunAsync(Pool("1", "2048", "100"), dryRun: true);
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ActionStatus.Skipped));
            Assert.That(result.After!["nr_hugepages"], Is.EqualTo("100"));
            Assert.That(_tree.Read(Node1Pool), Is.EqualTo("0"));
        });
    }

    [TestCase("x", "2048", "10", "integer node")]
    [TestCase("7", "2048", "10", "node 7 offers no 2048 kB")]
    [TestCase("0", "4096", "10", "node 0 offers no 4096 kB")]
    public async Task Execute_BadOrUnknownTarget_Fails(string node, string size, string pages, string message)
    {
        var result = await RunAsync(Pool(node, size, pages));
        Assert.Multiple(() =>
        {
            Assert.That(result.Status, Is.EqualTo(ActionStatus.Failed));
            Assert.That(result.Message, Does.Contain(message));
        });
    }

    [Test]
    public async Task Execute_OtherKinds_AreLeftToOtherExecutors()
    {
        var other = new PlanAction(ActionKinds.VcpuPin, "domain/x/vcpu/0", new Dictionary<string, string> { ["cpuset"] = "1" }, ActionTiming.Live, "r");
        var results = await _executor.ExecuteAsync(new Plan(null, null, null, [other], []), [other], dryRun: false);
        Assert.Multiple(() =>
        {
            Assert.That(results, Is.Empty);
            Assert.That(_executor.Handles(ActionKinds.HugepagePool), Is.True);
            Assert.That(_executor.Handles(ActionKinds.VcpuPin), Is.False);
        });
    }
}
