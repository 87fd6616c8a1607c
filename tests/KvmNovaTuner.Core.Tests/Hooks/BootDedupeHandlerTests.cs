using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.Hooks;

public sealed class BootDedupeHandlerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 4, 0, 0, TimeSpan.Zero));

    private static InstanceEvent Hook(string operation, string id = "hook-1") => new()
    {
        Format = NotificationFormat.LibvirtHook,
        EventType = HookEventMapper.EventType(operation),
        MessageId = id,
        InstanceUuid = HookXml.Uuid,
        Host = "compute",
    };

    private static InstanceEvent Nova(string eventType, string id = "nova-1") => new()
    {
        Format = NotificationFormat.Versioned,
        EventType = eventType,
        MessageId = id,
        InstanceUuid = HookXml.Uuid,
        Host = "compute",
    };

    private (BootDedupeHandler Handler, RecordingHandler Inner) Create(string status = "applied")
    {
        var inner = new RecordingHandler(status);
        return (new BootDedupeHandler(inner, new BootLedger(_time, TimeSpan.FromMinutes(10))), inner);
    }

    [Test]
    public async Task HookStartedThenNovaCreateEnd_TunesOnce()
    {
        var (handler, inner) = Create();

        var first = await handler.HandleAsync(Hook("started"));
        var second = await handler.HandleAsync(Nova("instance.create.end"));

        Assert.Multiple(() =>
        {
            Assert.That(inner.Seen, Is.EqualTo(new[] { "libvirt.hook.started" }));
            Assert.That(first.Status, Is.EqualTo("applied"));
            Assert.That(second.Status, Is.EqualTo("unchanged"));
            Assert.That(second.Detail, Does.Contain("libvirt.hook.started (hook-1)"));
        });
    }

    [Test]
    public async Task NovaPowerOnEndThenHookStarted_TunesOnce()
    {
        var (handler, inner) = Create();

        await handler.HandleAsync(Nova("compute.instance.power_on.end"));
        var second = await handler.HandleAsync(Hook("started"));

        Assert.Multiple(() =>
        {
            Assert.That(inner.Seen, Is.EqualTo(new[] { "compute.instance.power_on.end" }));
            Assert.That(second.Status, Is.EqualTo("unchanged"));
        });
    }

    [Test]
    public async Task FailedFirstAttempt_LetsTheOtherSourceTune()
    {
        var (handler, inner) = Create("failed");

        await handler.HandleAsync(Hook("started"));
        await handler.HandleAsync(Nova("instance.create.end"));

        Assert.That(inner.Seen, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task HookStopped_EndsTheBoot_SoTheNextStartIsTuned()
    {
        var (handler, inner) = Create();

        await handler.HandleAsync(Hook("started", "hook-1"));
        var stopped = await handler.HandleAsync(Hook("stopped", "hook-2"));
        await handler.HandleAsync(Nova("instance.power_on.end"));

        Assert.Multiple(() =>
        {
            Assert.That(stopped.Status, Is.EqualTo("ignored"));
            Assert.That(inner.Seen, Is.EqualTo(new[] { "libvirt.hook.started", "instance.power_on.end" }));
        });
    }

    [Test]
    public async Task NovaEventAfterTheWindow_IsAnotherBoot()
    {
        var (handler, inner) = Create();

        await handler.HandleAsync(Hook("started"));
        _time.Advance(TimeSpan.FromMinutes(11));
        await handler.HandleAsync(Nova("instance.create.end"));

        Assert.That(inner.Seen, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task NonBootEvents_PassThrough()
    {
        var (handler, inner) = Create();

        await handler.HandleAsync(Hook("started"));
        await handler.HandleAsync(Nova("instance.rebuild.end"));
        await handler.HandleAsync(Nova("instance.volume_attach.end", "nova-2"));

        Assert.That(inner.Seen, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task NovaEventDuringHookTuning_WaitsForItsOutcome()
    {
        var gate = new TaskCompletionSource<EventOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inner = new RecordingHandler("applied") { Gate = gate.Task };
        var handler = new BootDedupeHandler(inner, new BootLedger(_time, TimeSpan.FromMinutes(10)));

        var hook = handler.HandleAsync(Hook("started"));
        var nova = handler.HandleAsync(Nova("instance.create.end"));
        Assert.That(nova.IsCompleted, Is.False, "the Nova event must wait while the hook's tuning runs");
        gate.SetResult(new EventOutcome("partial", "one action failed"));

        var outcome = await nova.WaitAsync(TimeSpan.FromSeconds(5));
        await hook.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Multiple(() =>
        {
            Assert.That(outcome.Status, Is.EqualTo("unchanged"));
            Assert.That(outcome.Detail, Does.EndWith(": partial"));
            Assert.That(inner.Seen, Has.Count.EqualTo(1));
        });
    }

    /// <summary>Records the event types it handled and answers a fixed status (after <see cref="Gate"/> when set).</summary>
    private sealed class RecordingHandler(string status) : IInstanceEventHandler
    {
        public List<string> Seen { get; } = [];

        public Task<EventOutcome>? Gate { get; init; }

        public async Task<EventOutcome> HandleAsync(InstanceEvent instanceEvent, CancellationToken cancellationToken = default)
        {
            lock (Seen) Seen.Add(instanceEvent.EventType);
            return Gate is null ? new EventOutcome(status, "recorded") : await Gate;
        }
    }
}
