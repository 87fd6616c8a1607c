using KvmNovaTuner.Messaging.Pipeline;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Messaging.Rabbit;

/// <summary>
/// What happens to a delivery whose processing throws: requeued once; when it comes back (redelivered) and
/// fails again, dead-lettered with "processing failed twice: …" and acked. Never a poison loop, never silently gone.
/// </summary>
public sealed partial class ConsumerLoop
{
    private Func<string, Task>? _deadLettered;

    /// <summary>The prepare stage (decode) must not lose a delivery: a failure leaves it unprepared, and processing meets the failure again.</summary>
    private object? Prepare(Delivery delivery)
    {
        try
        {
            return _prepare?.Invoke(delivery);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogDebug(IntakeLog.ProcessingFailed, "Preparing a delivery failed ({Reason}); processing will retry", e.Message);
            return null;
        }
    }

    private async Task<DeliveryAction> FailedAsync(Delivery delivery, Exception e)
    {
        var cause = $"{e.GetType().Name}: {e.Message}";
        if (!delivery.Redelivered)
        {
            _logger.LogWarning(IntakeLog.ProcessingFailed, "Processing failed ({Reason}); the message is requeued once", DeadLetters.Reason(cause));
            return DeliveryAction.Requeue;
        }
        var reason = DeadLetters.Reason("processing failed twice: " + cause);
        try
        {
            await DeadLetters.PublishAsync(PublishChannel, _options, delivery, reason, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception publishError) when (publishError is not OperationCanceledException)
        {
            // Not in the dead-letter queue, so not acked: it comes back.
            _logger.LogError(IntakeLog.ProcessingFailed, "Dead-lettering failed ({Reason}); the message is requeued", publishError.Message);
            return DeliveryAction.Requeue;
        }
        _logger.LogWarning(IntakeLog.Poison, "Message dead-lettered: {Reason}", reason);
        if (_deadLettered is not null)
        {
            try
            {
                await _deadLettered(reason).ConfigureAwait(false);
            }
            catch (Exception recordError) when (recordError is not OperationCanceledException)
            {
                _logger.LogError(IntakeLog.ProcessingFailed, "Recording a dead-lettered message failed: {Reason}", recordError.Message);
            }
        }
        return DeliveryAction.Ack;
    }
}
