using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Core.Plans;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Libvirt.Execution;

/// <summary>
/// Applies the libvirt actions of a plan: live kinds with live+config (falling back to the driver's current
/// state where it refuses those flags), next-boot kinds by redefining the persistent XML with schema validation.
/// Every action records the value it replaced, is read back, and fails alone; <see cref="RollbackAsync"/>
/// writes the recorded values back.
/// </summary>
public sealed partial class LibvirtActionExecutor(LibvirtConnection connection, ILogger<LibvirtActionExecutor>? logger = null) : IActionExecutor
{
    private static readonly Dictionary<string, ILiveTunable> Live = new(StringComparer.Ordinal)
    {
        [ActionKinds.VcpuPin] = new VcpuPinTunable(),
        [ActionKinds.EmulatorPin] = new EmulatorPinTunable(),
        [ActionKinds.IoThreadAdd] = new IoThreadAddTunable(),
        [ActionKinds.IoThreadPin] = new IoThreadPinTunable(),
        [ActionKinds.Scheduler] = ParameterTunable.Scheduler,
        [ActionKinds.Blkio] = ParameterTunable.Blkio,
        [ActionKinds.BlockIoTune] = ParameterTunable.BlockIoTune,
        [ActionKinds.Memory] = ParameterTunable.Memory,
        [ActionKinds.NumaTune] = ParameterTunable.Numa,
    };

    private static readonly HashSet<string> NextBoot = new(StringComparer.Ordinal) { ActionKinds.DiskDriver, ActionKinds.MemoryBacking };

    private readonly ILogger logger = logger ?? NullLogger<LibvirtActionExecutor>.Instance;

    /// <summary>Every kind this executor applies.</summary>
    public static IReadOnlyCollection<string> Kinds { get; } = Live.Keys.Concat(NextBoot).ToList();

    public bool Handles(string kind) => Live.ContainsKey(kind) || NextBoot.Contains(kind);

    public Task<IReadOnlyList<ActionResult>> ExecuteAsync(Plan plan, IReadOnlyList<PlanAction> actions, bool dryRun, CancellationToken cancellationToken = default)
    {
        connection.EnsureConnected();
        var domains = new DomainCache(connection);
        try
        {
            var results = new ActionResult[actions.Count];
            var nextBoot = new List<int>();
            for (var i = 0; i < actions.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (NextBoot.Contains(actions[i].Kind))
                {
                    nextBoot.Add(i);
                    continue;
                }
                results[i] = Execute(domains, actions[i], dryRun);
            }
            // Next-boot actions of one domain share one validated redefinition (schema validation dominates its cost).
            foreach (var group in nextBoot.GroupBy(i => DomainOf(actions[i])))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var indexes = group.ToList();
                var batch = ExecuteNextBootBatch(domains, indexes.Select(i => actions[i]).ToList(), dryRun);
                for (var k = 0; k < indexes.Count; k++)
                {
                    results[indexes[k]] = batch[k];
                }
            }
            foreach (var result in results)
            {
                Log(result);
            }
            return Task.FromResult<IReadOnlyList<ActionResult>>(results);
        }
        finally
        {
            domains.Dispose();
        }
    }

    private ActionResult Execute(DomainCache domains, PlanAction action, bool dryRun)
    {
        if (!Handles(action.Kind))
        {
            return new ActionResult(action.Kind, action.Target, ActionStatus.Skipped, null, null, $"'{action.Kind}' is not a libvirt action");
        }
        try
        {
            var target = ActionTarget.Parse(action.Target);
            var domain = domains.Get(target.DomainUuid);
            if (domain is null)
            {
                return Failed(action, null, $"no libvirt domain with uuid {target.DomainUuid}");
            }
            return NextBoot.Contains(action.Kind)
                ? ApplyNextBoot(domain, target, action, dryRun)
                : ApplyLive(Live[action.Kind], domain, target, action, dryRun);
        }
        catch (LibvirtException e)
        {
            return Failed(action, null, e.Message);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or KeyNotFoundException)
        {
            return Failed(action, null, e.Message);
        }
    }

    private static string DomainOf(PlanAction action) =>
        action.Target.Split('/') is [_, var uuid, ..] ? uuid : action.Target;

    private static ActionResult Failed(PlanAction action, IReadOnlyDictionary<string, string>? before, string message) =>
        new(action.Kind, action.Target, ActionStatus.Failed, before, null, message);

    private void Log(ActionResult result)
    {
        if (result.Status == ActionStatus.Failed)
        {
            logger.LogWarning(new EventId(4101, "LibvirtActionFailed"), "{Kind} {Target} failed: {Message}", result.Kind, result.Target, result.Message);
        }
        else
        {
            logger.LogInformation(new EventId(4100, "LibvirtAction"), "{Kind} {Target}: {Status} {Message}", result.Kind, result.Target, result.Status, result.Message);
        }
    }
}
