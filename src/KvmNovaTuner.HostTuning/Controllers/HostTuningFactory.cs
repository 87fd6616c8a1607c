using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Executors;
using KvmNovaTuner.HostTuning.Facts;
using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.Profiles;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.HostTuning.Controllers;

/// <summary>The host-tuning parts an agent needs, sharing one hugepage controller: the executor and the controller loop.</summary>
public sealed record HostTuningParts(HostActionExecutor Executor, HostControllerLoop Loop, ControllerSettings Settings);

/// <summary>
/// Builds the agent's host-tuning parts from the active profile: controller settings, per-node hugepage budget (the
/// profile's percent of the smallest node, unless overridden), release floors from the profile's reservations.
/// </summary>
public static class HostTuningFactory
{
    public static async Task<HostTuningParts> CreateAsync(
        HostRoot root,
        ProfileCatalog catalog,
        string profileName,
        IGuestMemorySource guests,
        TimeProvider time,
        ILoggerFactory loggers,
        HugepageBudget? budget = null,
        TimeSpan? period = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(loggers);
        var settings = ControllerSettings.From(catalog.Resolve(profileName));
        var nodes = await new NumaNodeReader(root).ReadAsync(cancellationToken).ConfigureAwait(false);
        var smallestNodeKb = nodes.Count == 0 ? 0 : nodes.Min(n => n.MemTotalKb);
        var pools = new HugepagePoolController(budget ?? settings.Budget(smallestNodeKb), settings.HugepageReleaseGrace, settings.Floors(nodes));
        var writer = new HugepagePoolWriter(root);
        var ksm = new KsmControllerRunner(root, new KsmController(new KsmPolicy(), settings.KsmAdaptive), guests, time);
        var loop = new HostControllerLoop(ksm, new HugepagePoolRunner(writer, pools, time, guests), time, period ?? TimeSpan.FromSeconds(60),
            loggers.CreateLogger<HostControllerLoop>());
        return new HostTuningParts(new HostActionExecutor(writer, pools, time), loop, settings);
    }
}
