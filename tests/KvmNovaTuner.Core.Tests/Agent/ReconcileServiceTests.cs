using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Agent.Observability;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>The periodic reconcile runs at start and on every tick of the injected clock, surviving failures.</summary>
public sealed class ReconcileServiceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>Counts calls and lets the test await the n-th one.</summary>
    private sealed class CountingReconciler(bool fail = false, ReconcileSummary? summary = null) : IReconciler
    {
        private readonly List<TaskCompletionSource> _calls = Enumerable.Range(0, 10).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToList();
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task Call(int n) => _calls[n - 1].Task.WaitAsync(Wait);

        public Task<ReconcileSummary> ReconcileAsync(CancellationToken cancellationToken = default)
        {
            var n = Interlocked.Increment(ref _count);
            _calls[n - 1].TrySetResult();
            return fail ? throw new InvalidOperationException("libvirt gone") : Task.FromResult(summary ?? new ReconcileSummary(2, 1, 0));
        }
    }

    private static (ReconcileService Service, AgentMetrics Metrics) Create(IReconciler reconciler, FakeTimeProvider clock)
    {
        var metrics = new AgentMetrics();
        return (new ReconcileService(reconciler, TimeSpan.FromMinutes(5), clock, new InFlightTracker(), metrics, NullLogger<ReconcileService>.Instance), metrics);
    }

    [Test]
    public async Task Reconcile_RunsAtStartThenOncePerInterval()
    {
        var clock = new FakeTimeProvider();
        var reconciler = new CountingReconciler();
        var (service, _) = Create(reconciler, clock);

        await service.StartAsync(CancellationToken.None);
        await reconciler.Call(1);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.That(reconciler.Count, Is.EqualTo(1), "no scan before the interval has passed");
        clock.Advance(TimeSpan.FromMinutes(1));
        await reconciler.Call(2);
        clock.Advance(TimeSpan.FromMinutes(5));
        await reconciler.Call(3);
        await service.StopAsync(CancellationToken.None);

        Assert.That(reconciler.Count, Is.EqualTo(3));
    }

    [Test]
    public async Task Reconcile_FailingScan_IsCountedAndRetriedNextTick()
    {
        var clock = new FakeTimeProvider();
        var reconciler = new CountingReconciler(fail: true);
        var (service, metrics) = Create(reconciler, clock);

        await service.StartAsync(CancellationToken.None);
        await reconciler.Call(1);
        clock.Advance(TimeSpan.FromMinutes(5));
        await reconciler.Call(2);
        await service.StopAsync(CancellationToken.None);

        Assert.That(metrics.Reconciles.WithLabels("failed").Value, Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Metrics_ScanRepairedSettings_CountsDriftRepairsByKind()
    {
        var clock = new FakeTimeProvider();
        var repairs = new Dictionary<string, int> { ["vcpu_pin"] = 4, ["ovs_policing"] = 1 };
        var reconciler = new CountingReconciler(summary: new ReconcileSummary(3, 2, 0, repairs));
        var (service, metrics) = Create(reconciler, clock);

        await service.StartAsync(CancellationToken.None);
        await reconciler.Call(1);
        await service.StopAsync(CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(metrics.DriftRepairs.WithLabels("vcpu_pin").Value, Is.EqualTo(4));
            Assert.That(metrics.DriftRepairs.WithLabels("ovs_policing").Value, Is.EqualTo(1));
            Assert.That(metrics.Reconciles.WithLabels("ok").Value, Is.EqualTo(1));
        });
    }
}
