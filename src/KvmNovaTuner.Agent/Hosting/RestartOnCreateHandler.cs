using System.Collections.Concurrent;
using System.Globalization;
using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Agent.Logging;
using KvmNovaTuner.Core.Events;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Libvirt;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Agent.Hosting;

/// <summary>
/// <c>tuner:restart_to_apply=on-create</c>: when Nova's <c>instance.create.end</c> leaves a boot <c>pending-restart</c> and
/// the guest is fresh, restarts the domain once through libvirt (destroy, then start from the persistent definition the
/// tuner edited) so next-boot settings (disk cache and AIO, disks on IO threads, nosharepages) take effect, then tunes
/// and verifies the running domain again and reports the result. Without the key the boot stays <c>pending-restart</c>
/// with the reason. Nova's libvirt driver delays a "stopped" lifecycle event by 15 s and drops it when "started"
/// follows (nova/virt/libvirt/host.py, <c>Host._lifecycle_delay</c>); a restart that takes longer than
/// <see cref="RestartBudget"/> is logged as a warning, because past 15 s Nova would record the server as stopped.
/// </summary>
public sealed class RestartOnCreateHandler(BootDedupeHandler inner, AgentRuntime runtime, TimeProvider time, ILogger<RestartOnCreateHandler> logger) : IInstanceEventHandler
{
    /// <summary>How old Nova's create.end may be for its guest to count as fresh (a replayed or late one never restarts a guest in use).</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromMinutes(2);

    /// <summary>A third of Nova's 15 s lifecycle delay.</summary>
    public static readonly TimeSpan RestartBudget = TimeSpan.FromSeconds(5);

    /// <summary>The event type of the tuning run after the restart.</summary>
    public const string EventType = "tuner.restart_to_apply";

    private readonly ConcurrentDictionary<string, byte> _restarted = new(StringComparer.OrdinalIgnoreCase);

    public async Task<EventOutcome> HandleAsync(InstanceEvent instanceEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceEvent);
        var outcome = await inner.HandleAsync(instanceEvent, cancellationToken).ConfigureAwait(false);
        if (instanceEvent.EventType != "instance.create.end" || instanceEvent.InstanceUuid is not { Length: > 0 } uuid
            || BootDedupeHandler.BootStatus(outcome) != "pending-restart")
        {
            return outcome;
        }
        var specs = instanceEvent.Flavor?.ExtraSpecs;
        if (specs is null && runtime.Flavors is { } flavors)
        {
            specs = (await flavors.FindAsync(uuid, cancellationToken).ConfigureAwait(false))?.ExtraSpecs;
        }
        var decision = Decide(specs, instanceEvent.Timestamp, time.GetUtcNow(), _restarted.ContainsKey(uuid));
        if (decision is not null)
        {
            return outcome with { Detail = $"{outcome.Detail}; {decision}" };
        }
        _restarted[uuid] = 0;
        var restart = Restart(uuid);
        if (restart is not null)
        {
            return outcome with { Detail = $"{outcome.Detail}; not restarted: {restart}" };
        }
        var run = await runtime.Pipeline.RunAsync(
            instanceEvent with { EventType = EventType, MessageId = instanceEvent.MessageId + "/restart" }, cancellationToken).ConfigureAwait(false);
        if (run.Outcome.Status != "unchanged")
        {
            // The pipeline reported it (applied, partial, failed or still pending-restart).
            return run.Outcome with { Detail = $"restarted once after create; then {run.Outcome.Detail}" };
        }
        var applied = new EventOutcome("applied", "restarted once after create: the running domain matches the flavor, next-boot settings included");
        if (runtime.Outcomes is { } reporter)
        {
            await reporter.ReportAsync(run with { Outcome = applied }, cancellationToken).ConfigureAwait(false);
        }
        return applied;
    }

    /// <summary>Why the guest is not restarted (null: restart it). Pure: the flavor's specs, Nova's create.end timestamp, now.</summary>
    public static string? Decide(IReadOnlyDictionary<string, string>? specs, string? createEndTimestamp, DateTimeOffset now, bool restartedBefore)
    {
        if (specs?.GetValueOrDefault(SpecKeys.RestartToApply) != SpecKeys.RestartOnCreate)
        {
            return $"next-boot settings take effect at the guest's next cold start (set {SpecKeys.RestartToApply}={SpecKeys.RestartOnCreate} to restart a fresh guest once)";
        }
        if (restartedBefore)
        {
            return "not restarted: this guest was restarted once already";
        }
        if (!DateTimeOffset.TryParse(createEndTimestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created))
        {
            return "not restarted: Nova's create.end has no timestamp, so the guest cannot be known to be fresh";
        }
        var age = now - created;
        return age > FreshFor
            ? $"not restarted: the guest is no longer fresh (create.end is {age.TotalSeconds:0} s old, more than {FreshFor.TotalSeconds:0} s)"
            : null;
    }

    /// <summary>Destroys and starts the domain; null on success, else why not.</summary>
    private string? Restart(string uuid)
    {
        if (runtime.Libvirt is not { } libvirt)
        {
            return "libvirt is unavailable";
        }
        try
        {
            using var domain = libvirt.LookupByUuid(uuid);
            if (domain is null || !domain.IsActive)
            {
                return "the domain is not running here";
            }
            var started = time.GetTimestamp();
            domain.Destroy();
            StartAgain(domain, uuid);
            var took = time.GetElapsedTime(started);
            if (took > RestartBudget)
            {
                logger.LogWarning(LogEvents.RestartToApply, "Restarted {InstanceUuid} to apply next-boot settings in {Seconds:F1} s: more than the {Budget} s budget (Nova records a stop after 15 s)",
                    uuid, took.TotalSeconds, RestartBudget.TotalSeconds);
            }
            else
            {
                logger.LogInformation(LogEvents.RestartToApply, "Restarted {InstanceUuid} to apply next-boot settings in {Milliseconds:F0} ms", uuid, took.TotalMilliseconds);
            }
            return null;
        }
        catch (LibvirtException e)
        {
            logger.LogWarning(LogEvents.RestartToApply, "Could not restart {InstanceUuid} to apply next-boot settings: {Reason}", uuid, e.Message);
            return e.Message;
        }
    }

    /// <summary>Starts the destroyed guest; one retry, because a guest left stopped is the harm this key must never do.</summary>
    private void StartAgain(LibvirtDomain domain, string uuid)
    {
        try
        {
            domain.Start();
        }
        catch (LibvirtException first)
        {
            logger.LogError(LogEvents.RestartToApply, "Starting {InstanceUuid} again after the restart-to-apply stop failed ({Reason}); retrying once", uuid, first.Message);
            try
            {
                domain.Start();
            }
            catch (LibvirtException second)
            {
                throw new LibvirtException(second.Function, second.Code, second.ErrorDomain,
                    $"the guest is stopped: starting it again failed twice ({second.LibvirtMessage}); Nova will record it as stopped");
            }
        }
    }
}
