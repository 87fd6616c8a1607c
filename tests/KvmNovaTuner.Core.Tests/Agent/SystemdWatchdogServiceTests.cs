using KvmNovaTuner.Agent.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>systemd readiness and watchdog pings.</summary>
public sealed class SystemdWatchdogServiceTests
{
    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private readonly Lock _gate = new();
        private readonly List<string> _states = [];
        public TaskCompletionSource<int> Pings { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Target { get; init; } = 3;
        public bool IsEnabled => true;

        public IReadOnlyList<string> States
        {
            get { lock (_gate) return [.. _states]; }
        }

        public void Notify(ServiceState state)
        {
            lock (_gate)
            {
                _states.Add(state.ToString());
                if (_states.Count(s => s == "WATCHDOG=1") >= Target) Pings.TrySetResult(_states.Count);
            }
        }
    }

    private sealed class FakeLifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Started { get; } = new();
        public CancellationToken ApplicationStarted => Started.Token;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }

    [TestCase("20000000", 10)]
    [TestCase("3000000", 1.5)]
    public void PingInterval_IsHalfTheWatchdogTimeout(string usec, double seconds) =>
        Assert.That(SystemdWatchdogService.PingInterval(usec), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("0")]
    [TestCase("abc")]
    public void PingInterval_NoWatchdog_IsNull(string? usec) => Assert.That(SystemdWatchdogService.PingInterval(usec), Is.Null);

    [Test]
    public async Task Watchdog_PingsEveryIntervalAndSendsReadyOnStart()
    {
        var clock = new FakeTimeProvider();
        var notifier = new RecordingNotifier();
        var lifetime = new FakeLifetime();
        var service = new SystemdWatchdogService(notifier, TimeSpan.FromSeconds(10), sendReady: true, lifetime, clock, NullLogger<SystemdWatchdogService>.Instance);

        await service.StartAsync(CancellationToken.None);
        await lifetime.Started.CancelAsync();
        // The timer is created on the service's own task: keep advancing the fake clock until the pings arrive (bounded).
        for (var i = 0; i < 500 && !notifier.Pings.Task.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(10);
        }
        await notifier.Pings.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await service.StopAsync(CancellationToken.None);

        Assert.That(notifier.States, Does.Contain("READY=1"));
        Assert.That(notifier.States.Count(s => s == "WATCHDOG=1"), Is.GreaterThanOrEqualTo(3));
    }
}
