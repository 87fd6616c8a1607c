using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using KvmNovaTuner.Messaging.Pipeline;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>The first connection to the broker, retried with back-off until it succeeds or the caller cancels (recovery takes over after that).</summary>
public static class BrokerConnection
{
    public static async Task<IConnection> ConnectAsync(ConnectionFactory factory, ILogger logger, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (true)
        {
            try
            {
                return await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (BrokerUnreachableException e)
            {
                logger.LogWarning(IntakeLog.Broker, "Broker {Host}:{Port} unreachable ({Reason}); retrying in {Delay}", factory.HostName, factory.Port, e.InnerException?.Message ?? e.Message, delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }
}
