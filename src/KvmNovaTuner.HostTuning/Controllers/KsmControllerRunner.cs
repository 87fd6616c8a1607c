using System.Globalization;
using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Facts;
using KvmNovaTuner.HostTuning.Filesystem;

namespace KvmNovaTuner.HostTuning.Controllers;

/// <summary>
/// The thin edge of the KSM controller: observes <c>/proc/meminfo</c>, KSM and the guests, asks the pure
/// <see cref="KsmController"/>, and writes <c>run</c>, <c>pages_to_scan</c> and <c>sleep_millisecs</c> when a decision is due.
/// </summary>
public sealed class KsmControllerRunner(HostRoot root, KsmController controller, IGuestMemorySource guests, TimeProvider time)
{
    private const string KsmDir = "/sys/kernel/mm/ksm";

    /// <summary>One controller step; returns the decision written, or null when none was due.</summary>
    public async Task<KsmDecision?> StepAsync(CancellationToken cancellationToken = default)
    {
        var observation = await ObserveAsync(cancellationToken).ConfigureAwait(false);
        var decision = controller.Tick(time.GetUtcNow(), observation);
        if (decision is null)
        {
            return null;
        }
        if (!decision.RunOnly)
        {
            await root.WriteTextAsync($"{KsmDir}/pages_to_scan", decision.PagesToScan.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            await root.WriteTextAsync($"{KsmDir}/sleep_millisecs", decision.SleepMillisecs.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }
        if (decision.Run != observation.CurrentRun)
        {
            await root.WriteTextAsync($"{KsmDir}/run", decision.Run.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }
        return decision;
    }

    private async Task<KsmObservation> ObserveAsync(CancellationToken cancellationToken)
    {
        var meminfo = await root.ReadTextAsync("/proc/meminfo", cancellationToken).ConfigureAwait(false) ?? "";
        // like ksmtuned, page cache and buffers count as free: the kernel gives them back under pressure
        var free = NumaNodeReader.MeminfoKb(meminfo, "MemFree") + NumaNodeReader.MeminfoKb(meminfo, "Buffers") + NumaNodeReader.MeminfoKb(meminfo, "Cached");
        var summary = await guests.GetAsync(cancellationToken).ConfigureAwait(false);
        var run = int.TryParse(await root.ReadTextAsync($"{KsmDir}/run", cancellationToken).ConfigureAwait(false), out var r) ? r : 0;
        var pages = long.TryParse(await root.ReadTextAsync($"{KsmDir}/pages_to_scan", cancellationToken).ConfigureAwait(false), out var p) ? p : 0;
        return new KsmObservation(NumaNodeReader.MeminfoKb(meminfo, "MemTotal"), free, summary.CommittedKb, summary.OptOutGuests, run, pages);
    }
}
