using KvmNovaTuner.Core.Decoding;
using KvmNovaTuner.Messaging.Pipeline;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>
/// The per-host agent's intake from RabbitMQ: a durable queue bound to Nova's exchange (or to the router's
/// <c>host.&lt;host&gt;</c> key), every delivery through the <see cref="IntakePipeline"/>, acked only after the
/// outcome is journaled; poison messages dead-lettered with their reason.
/// </summary>
public sealed class NotificationListener(BrokerOptions options, IntakeSource source, IntakePipeline pipeline, ILogger logger)
{
    private readonly IntakeTally _tally = new(pipeline.Store);

    /// <summary>Committed outcomes only (group commit: a rolled-back batch is processed again and counted then).</summary>
    public IntakeCounts Counts => _tally.Counts;

    /// <summary>With concurrency 1 the loop group-commits, so outcomes count at the commit.</summary>
    private bool GroupCommit => options.Concurrency == 1;

    /// <summary>Consumes until <paramref name="cancellationToken"/> is cancelled, then stops gracefully.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => ConsumerLoop.RunUntilCancelledAsync(StartAsync, cancellationToken);

    /// <summary>Starts consuming; dispose (or stop) the returned loop to finish.</summary>
    public async Task<ConsumerLoop> StartAsync(CancellationToken cancellationToken = default)
    {
        ConsumerLoop? loop = null;
        loop = await ConsumerLoop.StartAsync(options, DeclareAsync, (d, ct) => ProcessAsync(loop!, d, ct), _tally, logger, cancellationToken,
            d => NotificationDecoder.Decode(d.Body), RecordDeadLetteredAsync).ConfigureAwait(false);
        return loop;
    }

    /// <summary>A message the loop dead-lettered after it failed twice: counted and journaled like a poison message.</summary>
    private async Task RecordDeadLetteredAsync(string reason)
    {
        _tally.Count(IntakeDisposition.Poison, atCommit: false);
        await pipeline.RecordPoisonAsync(reason, "dead-lettered").ConfigureAwait(false);
    }

    private async Task DeclareAsync(IConnection connection, IChannel channel, CancellationToken cancellationToken)
    {
        await BrokerTopology.DeclareQueuesAsync(channel, options, cancellationToken).ConfigureAwait(false);
        if (source == IntakeSource.Router)
        {
            await BrokerTopology.BindToRouterAsync(connection, channel, options, pipeline.Filter.LocalHost, logger, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await BrokerTopology.BindToNovaAsync(channel, options, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DeliveryAction> ProcessAsync(ConsumerLoop loop, Delivery delivery, CancellationToken cancellationToken)
    {
        var result = delivery.Prepared is DecodeResult decoded
            ? await pipeline.ProcessAsync(decoded, cancellationToken).ConfigureAwait(false)
            : await pipeline.ProcessAsync(delivery.Body, cancellationToken).ConfigureAwait(false);
        if (result.Disposition == IntakeDisposition.Poison)
        {
            var reason = DeadLetters.Reason(result.Detail);
            await DeadLetters.PublishAsync(loop.PublishChannel, options, delivery, reason, cancellationToken).ConfigureAwait(false);
            await pipeline.RecordPoisonAsync(reason, "dead-lettered", cancellationToken).ConfigureAwait(false);
        }
        _tally.Count(result.Disposition, atCommit: GroupCommit);
        return DeliveryAction.Ack;
    }
}

/// <summary>How many messages the intake handled, ignored, dropped as duplicates, and dead-lettered.</summary>
public sealed record IntakeCounts(long Handled, long Ignored, long Duplicates, long Poison)
{
    public long Total => Handled + Ignored + Duplicates + Poison;
}
