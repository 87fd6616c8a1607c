using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Store;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>
/// A manual-ack consumer on one durable queue with automatic recovery on, a second channel with publisher
/// confirms for republishing and dead-lettering, and a graceful stop that lets in-flight deliveries finish.
/// With a <see cref="IBatchCommitter"/> (and concurrency 1) outcomes are group-committed: up to
/// <see cref="MaxBatch"/> deliveries share one commit, then one multiple-ack covers them (never before the commit).
/// The listener and the router are built on it.
/// </summary>
public sealed partial class ConsumerLoop : IAsyncDisposable
{
    public const int MaxBatch = 100;

    private readonly BrokerOptions _options;
    private readonly Func<Delivery, CancellationToken, Task<DeliveryAction>> _process;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _slots;
    private IConnection? _connection;
    private IChannel? _consumeChannel;
    private string? _consumerTag;
    private volatile bool _stopping;

    private ConsumerLoop(BrokerOptions options, Func<Delivery, CancellationToken, Task<DeliveryAction>> process, IBatchCommitter? batch, Func<Delivery, object?>? prepare, ILogger logger)
    {
        _prepare = prepare;
        _options = options;
        _process = process;
        _logger = logger;
        _slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        _batch = options.Concurrency == 1 ? batch : null;
        _work = System.Threading.Channels.Channel.CreateBounded<(Delivery, ulong)>(new System.Threading.Channels.BoundedChannelOptions(Math.Max((int)options.Prefetch, 1)) { SingleReader = true, SingleWriter = true });
        _writer = _batch is null ? Task.CompletedTask : Task.Run(WriteLoopAsync);
    }

    /// <summary>The connection (recovering), for short-lived channels (passive declares).</summary>
    internal IConnection Connection => _connection ?? throw new InvalidOperationException("not connected");

    /// <summary>The channel (publisher confirms on) for republishing and dead-lettering.</summary>
    public IChannel PublishChannel { get; private set; } = null!;

    /// <summary>Starts a loop with <paramref name="start"/>, consumes until <paramref name="cancellationToken"/> is cancelled, then stops gracefully (in-flight deliveries finish).</summary>
    public static async Task RunUntilCancelledAsync(Func<CancellationToken, Task<ConsumerLoop>> start, CancellationToken cancellationToken)
    {
        await using var loop = await start(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // the stop signal
        }
        await loop.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Connects (retrying until cancelled), declares the topology, and starts consuming.</summary>
    public static async Task<ConsumerLoop> StartAsync(
        BrokerOptions options,
        Func<IConnection, IChannel, CancellationToken, Task> declareTopology,
        Func<Delivery, CancellationToken, Task<DeliveryAction>> process,
        IBatchCommitter? batch,
        ILogger logger,
        CancellationToken cancellationToken = default,
        Func<Delivery, object?>? prepare = null,
        Func<string, Task>? deadLettered = null)
    {
        options.Validate();
        var loop = new ConsumerLoop(options, process, batch, prepare, logger) { _deadLettered = deadLettered };
        await loop.ConnectAsync(declareTopology, cancellationToken).ConfigureAwait(false);
        return loop;
    }

    private async Task ConnectAsync(Func<IConnection, IChannel, CancellationToken, Task> declareTopology, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = _options.BrokerUri,
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = _options.NetworkRecoveryInterval,
            ConsumerDispatchConcurrency = _options.Concurrency,
            ClientProvidedName = _options.ClientName,
        };
        _connection = await BrokerConnection.ConnectAsync(factory, _logger, cancellationToken).ConfigureAwait(false);
        _connection.CallbackExceptionAsync += (_, e) =>
        {
            _logger.LogError(IntakeLog.Broker, e.Exception, "RabbitMQ callback failed");
            return Task.CompletedTask;
        };
        _connection.ConnectionShutdownAsync += (_, e) =>
        {
            if (!_stopping)
            {
                _logger.LogWarning(IntakeLog.Broker, "Broker connection lost ({Reason}); recovering", e.ReplyText);
            }
            return Task.CompletedTask;
        };
        _connection.RecoverySucceededAsync += (_, _) =>
        {
            _logger.LogInformation(IntakeLog.Broker, "Broker connection recovered");
            return Task.CompletedTask;
        };
        _consumeChannel = await _connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        PublishChannel = await _connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken).ConfigureAwait(false);
        await declareTopology(_connection, _consumeChannel, cancellationToken).ConfigureAwait(false);
        await _consumeChannel.BasicQosAsync(0, _options.Prefetch, false, cancellationToken).ConfigureAwait(false);
        var consumer = new AsyncEventingBasicConsumer(_consumeChannel);
        consumer.ReceivedAsync += OnReceivedAsync;
        _consumerTag = await _consumeChannel.BasicConsumeAsync(_options.Queue, autoAck: false, consumer, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation(IntakeLog.Broker, "Consuming {Queue} (prefetch {Prefetch})", _options.Queue, _options.Prefetch);
    }

    private async Task OnReceivedAsync(object sender, BasicDeliverEventArgs ea)
    {
        if (_stopping)
        {
            return; // not acked: the broker requeues it when the channel closes
        }
        var delivery = new Delivery(ea.Body.ToArray(), ea.Redelivered, ea.BasicProperties);
        if (_batch is not null)
        {
            // Group-commit mode: prepare (decode) here, store and ack in the writer, in delivery order.
            await EnqueueAsync(delivery with { Prepared = Prepare(delivery) }, ea.DeliveryTag).ConfigureAwait(false);
            return;
        }
        await _slots.WaitAsync().ConfigureAwait(false);
        try
        {
            await SettleAsync(ea.DeliveryTag, await ProcessOneAsync(delivery).ConfigureAwait(false), multiple: false).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task<DeliveryAction> ProcessOneAsync(Delivery delivery)
    {
        try
        {
            return await _process(delivery, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The message loop's boundary: a failure must not kill the consumer, nor loop.
            return await FailedAsync(delivery, e).ConfigureAwait(false);
        }
    }

    private async Task SettleAsync(ulong deliveryTag, DeliveryAction action, bool multiple)
    {
        try
        {
            if (action == DeliveryAction.Ack)
            {
                await _consumeChannel!.BasicAckAsync(deliveryTag, multiple).ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                await _consumeChannel!.BasicNackAsync(deliveryTag, multiple, requeue: true).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is AlreadyClosedException or OperationInterruptedException or IOException or ObjectDisposedException)
        {
            // The channel went down with the broker: the delivery comes back and dedupe drops it.
            _logger.LogDebug(IntakeLog.AckFailed, "Could not settle delivery {Tag}: {Reason}", deliveryTag, e.Message);
        }
    }

    /// <summary>Stops consuming, waits for in-flight deliveries to finish (acked), then closes.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        if (_consumeChannel is { IsOpen: true } && _consumerTag is not null)
        {
            try
            {
                await _consumeChannel.BasicCancelAsync(_consumerTag, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (AlreadyClosedException)
            {
                // already gone with the connection
            }
        }
        for (var i = 0; i < _options.Concurrency; i++)
        {
            await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        await DrainWriterAsync().ConfigureAwait(false);
        await CloseAsync().ConfigureAwait(false);
        _logger.LogInformation(IntakeLog.Broker, "Stopped consuming {Queue}", _options.Queue);
    }

    private async Task CloseAsync()
    {
        foreach (var channel in new[] { _consumeChannel, PublishChannel })
        {
            if (channel is { IsOpen: true })
            {
                await channel.CloseAsync().ConfigureAwait(false);
            }
        }
        if (_connection is { IsOpen: true })
        {
            await _connection.CloseAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _consumeChannel?.Dispose();
        PublishChannel?.Dispose();
        _connection?.Dispose();
    }
}
