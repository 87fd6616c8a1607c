using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Ovs.Protocol;

/// <summary>Connection loss: reconnect with exponential backoff, and the echo keepalive that detects a dead peer.</summary>
public sealed partial class OvsdbClient
{
    private void OnConnectionLost(OvsdbConnection connection, Exception? reason)
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested || !_current.Task.IsCompletedSuccessfully || _current.Task.Result != connection)
            {
                return;
            }
            _current = new TaskCompletionSource<OvsdbConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _logger.LogWarning("OVSDB connection to {Address} lost: {Reason}; reconnecting", _address, reason?.Message ?? "closed");
        _ = Task.Run(ReconnectLoopAsync);
    }

    private async Task ReconnectLoopAsync()
    {
        var delay = _options.ReconnectInitialDelay;
        var attempt = 0;
        while (!_disposed.IsCancellationRequested)
        {
            attempt++;
            OvsdbConnection? connection = null;
            try
            {
                connection = await OvsdbConnection.OpenAsync(_address, OnNotification, _disposed.Token).ConfigureAwait(false);
                await ResubscribeAsync(connection, _disposed.Token).ConfigureAwait(false);
                Install(connection);
                Interlocked.Increment(ref _reconnects);
                _logger.LogInformation("OVSDB connection to {Address} re-established after {Attempts} attempt(s)", _address, attempt);
                Reconnected?.Invoke();
                return;
            }
            catch (Exception e) when (e is OvsdbConnectionException or OvsdbRpcException)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
                _logger.LogDebug("OVSDB reconnect attempt {Attempt} to {Address} failed: {Error}", attempt, _address, e.Message);
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync().ConfigureAwait(false);
                }
                return;
            }
            try
            {
                await Task.Delay(delay, _options.TimeProvider, _disposed.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMaxDelay.Ticks));
        }
    }

    private async Task KeepaliveLoopAsync()
    {
        while (!_disposed.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.KeepaliveInterval, _options.TimeProvider, _disposed.Token).ConfigureAwait(false);
                var connection = await CurrentAsync(_disposed.Token).ConfigureAwait(false);
                using var timeout = new CancellationTokenSource(_options.RequestTimeout, _options.TimeProvider);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _disposed.Token);
                try
                {
                    await connection.RequestAsync("echo", [], linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested)
                {
                    connection.Abort(new OvsdbConnectionException("echo keepalive got no answer"));
                }
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception e) when (e is OvsdbConnectionException or OvsdbRpcException)
            {
                // The loss handler reconnects; keepalive resumes on the next connection.
            }
        }
    }
}
