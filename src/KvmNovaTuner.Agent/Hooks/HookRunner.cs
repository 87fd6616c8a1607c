using System.Globalization;
using System.Net.Sockets;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.Topology;
using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.Topology;

namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// What <c>kvm-nova-tuner hook</c> does for one libvirt call, within a hard time budget: read the domain XML (never
/// libvirt), check <c>tuner:require</c> on <c>prepare</c>, and hand <c>started</c>/<c>stopped</c> of Nova instances
/// to the agent over its socket, or spool them when the agent does not acknowledge in time. Only a refused
/// <c>prepare</c> exits non-zero; every other outcome lets the guest start.
/// </summary>
public sealed class HookRunner(HookRunnerOptions options, TimeProvider time)
{
    /// <summary>Operations handed to the agent: <c>started</c> (tune now) and <c>stopped</c> (the boot is over).</summary>
    public static IReadOnlySet<string> ForwardedOperations { get; } = new HashSet<string>(StringComparer.Ordinal) { "started", "stopped" };

    public async Task<HookRunResult> RunAsync(HookInvocation call, string domainXml, CancellationToken cancellationToken = default)
    {
        using var budget = new CancellationTokenSource(options.Budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(budget.Token, cancellationToken);
        HookDomain domain;
        try
        {
            domain = HookDomain.Parse(domainXml);
        }
        catch (FormatException e)
        {
            return new HookRunResult(0, HookDelivery.Skipped, $"kvm-nova-tuner hook: {call.Operation} of {call.Domain} ignored: {e.Message}");
        }
        if (domain.Nova is null)
        {
            return new HookRunResult(0, HookDelivery.Skipped, null);
        }
        if (call.Operation == "prepare")
        {
            var refusal = await CheckRequireAsync(domain, linked.Token).ConfigureAwait(false);
            return refusal is null
                ? new HookRunResult(0, HookDelivery.Skipped, null)
                : new HookRunResult(1, HookDelivery.Refused, $"kvm-nova-tuner: instance {domain.Uuid} not started (tuner:require=true): {refusal}");
        }
        if (!ForwardedOperations.Contains(call.Operation))
        {
            return new HookRunResult(0, HookDelivery.Skipped, null);
        }
        var hookEvent = await BuildEventAsync(call, domain, linked.Token).ConfigureAwait(false);
        var why = await TrySendAsync(hookEvent, linked.Token).ConfigureAwait(false);
        if (why is null)
        {
            return new HookRunResult(0, HookDelivery.Sent, null, hookEvent.MessageId);
        }
        // The agent did not take it: record it for the agent's next start. Not cancellable: losing it is worse than a late return.
        string path;
        try
        {
            path = await new HookSpool(options.SpoolDir).WriteAsync(hookEvent, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new HookRunResult(0, HookDelivery.Lost,
                $"kvm-nova-tuner hook: agent not reachable ({why}) and spool {options.SpoolDir} unusable ({e.Message}): {call.Operation} of {domain.Uuid} not recorded; the guest starts untouched and the agent's reconcile scan tunes it", hookEvent.MessageId);
        }
        return new HookRunResult(0, HookDelivery.Spooled, $"kvm-nova-tuner hook: agent not reachable ({why}); {call.Operation} of {domain.Uuid} spooled to {path}", hookEvent.MessageId);
    }

    private async Task<string?> CheckRequireAsync(HookDomain domain, CancellationToken cancellationToken)
    {
        var nova = domain.Nova!;
        var spec = SpecParser.Parse(nova.ExtraSpecs, nova.Vcpus, nova.MemoryMb).Spec;
        if (spec.Require != true)
        {
            return null;
        }
        HostTopology topology;
        try
        {
            topology = await new HostTopologyReader(new HostRoot(options.HostRoot))
                .ReadAsync(new HousekeepingOptions { CpuDedicatedSet = "" }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HostTopologyException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            return $"the host's hugepage pools could not be read ({e.Message})";
        }
        return HugepageRequirement.Check(domain, spec, topology);
    }

    private async Task<HookEvent> BuildEventAsync(HookInvocation call, HookDomain domain, CancellationToken cancellationToken)
    {
        string? bootId;
        try
        {
            bootId = (await new HostRoot(options.HostRoot).ReadTextAsync("/proc/sys/kernel/random/boot_id", cancellationToken).ConfigureAwait(false))?.Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            bootId = null;
        }
        var nova = domain.Nova!;
        return new HookEvent
        {
            MessageId = HookMessageId.For(domain.Uuid, call.Operation, bootId, domain.Id),
            Domain = call.Domain,
            Operation = call.Operation,
            SubOperation = call.SubOperation,
            Extra = call.Extra,
            InstanceUuid = domain.Uuid,
            DomainId = domain.Id,
            BootId = bootId,
            Timestamp = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
            Flavor = new HookFlavor(nova.FlavorName, nova.FlavorId, nova.Vcpus, nova.MemoryMb, nova.ExtraSpecs),
        };
    }

    /// <summary>Null when the agent accepted the event, else why not.</summary>
    private async Task<string?> TrySendAsync(HookEvent hookEvent, CancellationToken cancellationToken)
    {
        try
        {
            var ack = await HookClient.SendAsync(options.SocketPath, hookEvent, cancellationToken).ConfigureAwait(false);
            return ack.Accepted ? null : $"the agent rejected it: {ack.Error}";
        }
        catch (OperationCanceledException)
        {
            return $"no acknowledgement within {options.Budget.TotalMilliseconds:0} ms";
        }
        catch (Exception e) when (e is SocketException or InvalidDataException or IOException)
        {
            var why = File.Exists(options.SocketPath) ? e.Message : "no such socket (is the agent running?)";
            return $"{options.SocketPath}: {why}";
        }
    }
}

/// <summary>The four arguments libvirt passes to a qemu hook.</summary>
public sealed record HookInvocation(string Domain, string Operation, string SubOperation, string Extra);

/// <summary>Where the hook hands events over, how long it may take, and the root under which /sys and /proc are read.</summary>
public sealed record HookRunnerOptions(string SocketPath, string SpoolDir, TimeSpan Budget, string HostRoot = "/")
{
    public static TimeSpan DefaultBudget { get; } = TimeSpan.FromSeconds(2);
}

/// <summary>What the hook did with a call.</summary>
public enum HookDelivery
{
    /// <summary>Nothing to hand over (not a Nova instance, or an operation the agent does not need).</summary>
    Skipped,
    /// <summary>The agent acknowledged the event.</summary>
    Sent,
    /// <summary>The agent was unreachable: the event waits in the spool for its next start.</summary>
    Spooled,
    /// <summary>The agent was unreachable and the spool could not be written: only the agent's reconcile scan will see the domain.</summary>
    Lost,
    /// <summary><c>prepare</c> refused the boot (<c>tuner:require=true</c> and the host cannot honour the flavor).</summary>
    Refused,
}

/// <summary>The hook's exit code, what it did, and the one line it prints on stderr (null: nothing to say).</summary>
public sealed record HookRunResult(int ExitCode, HookDelivery Delivery, string? Message, string? MessageId = null);
