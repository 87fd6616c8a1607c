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
    private long _handled;
    private long _ignored;
    private long _duplicates;
    private long _poison;

    public IntakeCounts Counts => new(Interlocked.Read(ref _handled), Interlocked.Read(ref _ignored), Interlocked.Read(ref _duplicates), Interlocked.Read(ref _poison));

    /// <summary>Consumes until <paramref name="cancellationToken"/> is cancelled, then stops gracefully.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => ConsumerLoop.RunUntilCancelledAsync(StartAsync, cancellationToken);

    /// <summary>Starts consuming; dispose (or stop) the returned loop to finish.</summary>
    public async Task<ConsumerLoop> StartAsync(CancellationToken cancellationToken = default)
    {
        ConsumerLoop? loop = null;
        loop = await ConsumerLoop.StartAsync(options, DeclareAsync, (d, ct) => ProcessAsync(loop!, d, ct), pipeline.Store, logger, cancellationToken, d => NotificationDecoder.Decode(d.Body)).ConfigureAwait(false);
        return loop;
    }

    private async Task DeclareAsync(IChannel channel, CancellationToken cancellationToken)
    {
        await BrokerTopology.DeclareQueuesAsync(channel, options, cancellationToken).ConfigureAwait(false);
        if (source == IntakeSource.Router)
        {
            await BrokerTopology.BindToRouterAsync(channel, options, pipeline.Filter.LocalHost, cancellationToken).ConfigureAwait(false);
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
        switch (result.Disposition)
        {
            case IntakeDisposition.Poison:
                await DeadLetters.PublishAsync(loop.PublishChannel, options, delivery, result.Detail, cancellationToken).ConfigureAwait(false);
                await pipeline.RecordPoisonAsync(result.Detail, "dead-lettered", cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _poison);
                break;
            case IntakeDisposition.Duplicate:
                Interlocked.Increment(ref _duplicates);
                break;
            case IntakeDisposition.Ignored:
                Interlocked.Increment(ref _ignored);
                break;
            default:
                Interlocked.Increment(ref _handled);
                break;
        }
        return DeliveryAction.Ack;
    }
}

/// <summary>How many messages the intake handled, ignored, dropped as duplicates, and dead-lettered.</summary>
public sealed record IntakeCounts(long Handled, long Ignored, long Duplicates, long Poison)
{
    public long Total => Handled + Ignored + Duplicates + Poison;
}
