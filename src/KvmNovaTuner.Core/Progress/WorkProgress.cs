using System.Globalization;

namespace KvmNovaTuner.Core.Progress;

/// <summary>How far a long piece of work (reconcile, flavor sync, snapshot prune) has come, reported after each item.</summary>
/// <param name="Done">Items finished so far.</param>
/// <param name="Total">Items in the whole run.</param>
/// <param name="Changed">Items that changed something (or would, in a dry run).</param>
/// <param name="Failed">Items that failed.</param>
public sealed record WorkProgress(int Done, int Total, int Changed = 0, int Failed = 0);

/// <summary>What a progress line calls the work: <c>reconcile: 120/500 domains, 3 changed, 0 failed</c>.</summary>
/// <param name="Label">The verb (<c>reconcile</c>, <c>flavors sync</c>, <c>snapshots prune</c>).</param>
/// <param name="Unit">What is counted (<c>domains</c>, <c>flavors</c>, <c>snapshots</c>).</param>
/// <param name="ChangedWord">What a changed item is called (<c>changed</c>, <c>deleted</c>).</param>
public sealed record ProgressWording(string Label, string Unit, string ChangedWord = "changed")
{
    public string Format(WorkProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Label}: {progress.Done}/{progress.Total} {Unit}, {progress.Changed} {ChangedWord}, {progress.Failed} failed");
    }
}
