using KvmNovaTuner.Core.HostProfile;
using KvmNovaTuner.HostTuning.Facts;
using KvmNovaTuner.HostTuning.Filesystem;

namespace KvmNovaTuner.HostTuning.Controllers;

/// <summary>The pool as read back after a write: total and free pages, and how many of the wanted pages the kernel withheld.</summary>
public sealed record PoolWriteResult(long TotalBefore, long FreeBefore, long TotalAfter, long FreeAfter, long Shortfall);

/// <summary>Writes a pool decision to <c>nr_hugepages</c> of its node and reads the pool back.</summary>
public sealed class HugepagePoolWriter(HostRoot root)
{
    private readonly NumaNodeReader _nodes = new(root);

    /// <summary>The node's pools now, as the controller sees them.</summary>
    public async Task<IReadOnlyList<PoolObservation>> ObserveAsync(CancellationToken cancellationToken = default)
    {
        var nodes = await _nodes.ReadAsync(cancellationToken).ConfigureAwait(false);
        return nodes.SelectMany(n => n.Pools.Select(p => new PoolObservation(n.Id, p.PageSizeKb, p.Total, p.Free))).ToList();
    }

    public async Task<PoolWriteResult> WriteAsync(PoolDecision decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var before = await PoolAsync(decision.Node, decision.PageSizeKb, cancellationToken).ConfigureAwait(false);
        if (decision.Changes)
        {
            await root.WriteTextAsync(NumaNodeReader.NrHugepagesPath(decision.Node, decision.PageSizeKb),
                decision.NewTotal.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
        }
        var after = await PoolAsync(decision.Node, decision.PageSizeKb, cancellationToken).ConfigureAwait(false);
        return new PoolWriteResult(before.Total, before.Free, after.Total, after.Free, HugepagePoolPolicy.Shortfall(decision.NewTotal, after.Total));
    }

    private async Task<HugepagePoolFacts> PoolAsync(int node, long pageSizeKb, CancellationToken cancellationToken)
    {
        var pools = await _nodes.ReadPoolsAsync(node, cancellationToken).ConfigureAwait(false);
        return pools.FirstOrDefault(p => p.PageSizeKb == pageSizeKb)
            ?? throw new InvalidOperationException($"node {node} has no {pageSizeKb} kB hugepage pool");
    }
}
