using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Ovs.Protocol;

/// <summary>
/// One JSON-RPC session with an OVSDB server over one socket: correlates responses by id, answers the
/// server's <c>echo</c> requests, and hands notifications (<c>update</c>) to a callback. It does not reconnect.
/// </summary>
internal sealed class OvsdbConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly StreamReader _text;
    private readonly JsonTextReader _json;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<JObject>> _pending = new();
    private readonly Action<string, JArray> _onNotification;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;

    private OvsdbConnection(Socket socket, Action<string, JArray> onNotification)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _text = new StreamReader(_stream, Encoding.UTF8, false, 65536, leaveOpen: true);
        _json = new JsonTextReader(_text) { SupportMultipleContent = true, DateParseHandling = DateParseHandling.None };
        _onNotification = onNotification;
        _ = Task.Run(ReadLoopAsync);
    }

    /// <summary>Completes when the session ends, with the error that ended it (null when closed by us).</summary>
    public Task<Exception?> Closed => _closed.Task;

    public static async Task<OvsdbConnection> OpenAsync(OvsdbAddress address, Action<string, JArray> onNotification, CancellationToken cancellationToken)
    {
        var protocol = address.EndPoint is UnixDomainSocketEndPoint ? ProtocolType.Unspecified : ProtocolType.Tcp;
        var socket = new Socket(address.EndPoint.AddressFamily == AddressFamily.Unspecified ? AddressFamily.InterNetwork : address.EndPoint.AddressFamily, SocketType.Stream, protocol);
        try
        {
            await socket.ConnectAsync(address.EndPoint, cancellationToken).ConfigureAwait(false);
            if (protocol == ProtocolType.Tcp)
            {
                socket.NoDelay = true;
            }
            return new OvsdbConnection(socket, onNotification);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new OvsdbConnectionException($"cannot connect to OVSDB at {address}: {e.Message}", e);
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends a request and returns its <c>result</c>; a top-level <c>error</c> throws <see cref="OvsdbRpcException"/>.</summary>
    public async Task<JToken> RequestAsync(string method, JArray parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextId);
        // Completed inline by the reader, which first hands reading over to a new task (see ReadLoopAsync).
        var pending = new TaskCompletionSource<JObject>();
        _pending[id] = pending;
        using var registration = cancellationToken.Register(() => pending.TrySetCanceled(cancellationToken));
        try
        {
            if (_closed.Task.IsCompleted)
            {
                throw new OvsdbConnectionException("the OVSDB connection is closed");
            }
            await SendAsync(new JObject { ["method"] = method, ["params"] = parameters, ["id"] = id }, cancellationToken).ConfigureAwait(false);
            var response = await pending.Task.ConfigureAwait(false);
            if (response["error"] is { Type: not JTokenType.Null } error)
            {
                throw new OvsdbRpcException(method, error.Type == JTokenType.String ? error.ToString() : error.ToString(Formatting.None));
            }
            return response["result"] ?? JValue.CreateNull();
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Ends the session now; pending requests fail with <see cref="OvsdbConnectionException"/>.</summary>
    public void Abort(Exception? reason = null)
    {
        Close(reason ?? new OvsdbConnectionException("the OVSDB connection was aborted"));
    }

    public async ValueTask DisposeAsync()
    {
        Close(null);
        // The semaphore and token source hold no OS handles here, so they are left to the collector:
        // the read loop may still be unwinding with them.
        await _closed.Task.ConfigureAwait(false);
    }

    private async Task SendAsync(JObject message, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(message.ToString(Formatting.None));
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            Close(e);
            throw new OvsdbConnectionException($"OVSDB connection lost while sending: {e.Message}", e);
        }
        catch (ObjectDisposedException e)
        {
            throw new OvsdbConnectionException("the OVSDB connection is closed", e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Reads messages until a response arrives, then hands the reading over to a new task and completes the
    /// caller's request inline on this thread: the caller resumes without waiting for a thread-pool hop (most of a
    /// request's cost on a loaded host), and a caller that blocks cannot stall the connection.
    /// </summary>
    private async Task ReadLoopAsync()
    {
        Exception? failure = new OvsdbConnectionException("the OVSDB server closed the connection");
        try
        {
            while (await _json.ReadAsync(_stop.Token).ConfigureAwait(false))
            {
                if (await JToken.ReadFromAsync(_json, _stop.Token).ConfigureAwait(false) is not JObject message)
                {
                    continue;
                }
                if (message["method"] is null && message["id"] is { Type: JTokenType.Integer } id && _pending.TryGetValue(id.Value<long>(), out var pending))
                {
                    _ = Task.Run(ReadLoopAsync);
                    pending.TrySetResult(message);
                    return;
                }
                await DispatchAsync(message).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            failure = null;
        }
        catch (Exception e) when (e is IOException or JsonException or ObjectDisposedException or OvsdbConnectionException)
        {
            failure = _stop.IsCancellationRequested ? null : new OvsdbConnectionException($"OVSDB connection lost: {e.Message}", e);
        }
        Close(failure);
    }

    private async Task DispatchAsync(JObject message)
    {
        var method = message["method"]?.Value<string>();
        var id = message["id"];
        if (method is null)
        {
            // A response nobody waits for any more (cancelled or timed out): dropped.
            return;
        }
        var parameters = message["params"] as JArray ?? [];
        if (id is null || id.Type == JTokenType.Null)
        {
            _onNotification(method, parameters);
            return;
        }
        // A request from the server: only echo is defined for clients (RFC 7047 §4.1.11); answer it with its own params.
        var reply = method == "echo"
            ? new JObject { ["id"] = id, ["result"] = parameters, ["error"] = null }
            : new JObject { ["id"] = id, ["result"] = null, ["error"] = $"unknown method {method}" };
        try
        {
            await SendAsync(reply, _stop.Token).ConfigureAwait(false);
            if (method == "echo")
            {
                _onNotification("echo", parameters);
            }
        }
        catch (OvsdbConnectionException)
        {
            // The read loop notices the closed socket next.
        }
    }

    private void Close(Exception? reason)
    {
        if (!_closed.TrySetResult(reason))
        {
            return;
        }
        _stop.Cancel();
        _stream.Dispose();
        _socket.Dispose();
        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(reason ?? new OvsdbConnectionException("the OVSDB connection was closed"));
        }
    }
}
