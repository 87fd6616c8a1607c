using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Ovs.Protocol;

/// <summary>
/// An OVSDB management protocol client (RFC 7047) over <c>unix:PATH</c> or <c>tcp:HOST:PORT</c>: transactions,
/// monitors, echo keepalive in both directions, and automatic reconnect with exponential backoff that
/// re-registers every monitor. One connection serves every caller concurrently.
/// </summary>
public sealed partial class OvsdbClient : IAsyncDisposable
{
    /// <summary>The database of Open vSwitch's own schema.</summary>
    public const string OpenVSwitchDatabase = "Open_vSwitch";

    private readonly OvsdbAddress _address;
    private readonly OvsdbClientOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource<OvsdbConnection> _current = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _keepalive = Task.CompletedTask;
    private long _reconnects;

    private OvsdbClient(OvsdbAddress address, OvsdbClientOptions options, ILogger logger)
    {
        _address = address;
        _options = options;
        _logger = logger;
    }

    /// <summary>Raised after a lost connection was re-established and every monitor re-registered.</summary>
    public event Action? Reconnected;

    public OvsdbAddress Address => _address;

    /// <summary>How many times the connection was re-established since the client was created.</summary>
    public long ReconnectCount => Interlocked.Read(ref _reconnects);

    /// <summary>Connects (failing fast with <see cref="OvsdbConnectionException"/> when the server is not there) and starts keepalive.</summary>
    public static async Task<OvsdbClient> ConnectAsync(string address, OvsdbClientOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options ??= new OvsdbClientOptions();
        options.Validate();
        var client = new OvsdbClient(OvsdbAddress.Parse(address), options, logger ?? NullLogger.Instance);
        var connection = await OvsdbConnection.OpenAsync(client._address, client.OnNotification, cancellationToken).ConfigureAwait(false);
        client.Install(connection);
        if (options.KeepaliveInterval > TimeSpan.Zero)
        {
            client._keepalive = Task.Run(client.KeepaliveLoopAsync);
        }
        return client;
    }

    /// <summary>Runs one transaction; per-operation errors are in the result (see <see cref="TransactResult.EnsureSuccess"/>).</summary>
    public async Task<TransactResult> TransactAsync(string database, IReadOnlyList<OvsdbOperation> operations, CancellationToken cancellationToken = default)
    {
        var parameters = new JArray(database);
        foreach (var op in operations)
        {
            parameters.Add(op.Json);
        }
        var result = await RequestAsync("transact", parameters, cancellationToken).ConfigureAwait(false);
        var results = result is JArray array ? array.Select(OvsdbOperationResult.Parse).ToList() : [];
        return new TransactResult(operations, results);
    }

    /// <summary>Runs one transaction and throws the first per-operation error or required update that matched nothing.</summary>
    public async Task<TransactResult> TransactOrThrowAsync(string database, IReadOnlyList<OvsdbOperation> operations, CancellationToken cancellationToken = default) =>
        (await TransactAsync(database, operations, cancellationToken).ConfigureAwait(false)).EnsureSuccess();

    /// <summary>Sends <c>echo</c> and returns when the server answers.</summary>
    public Task EchoAsync(CancellationToken cancellationToken = default) => RequestAsync("echo", [], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_disposed.IsCancellationRequested)
        {
            return;
        }
        await _disposed.CancelAsync().ConfigureAwait(false);
        Task<OvsdbConnection> current;
        lock (_gate)
        {
            current = _current.Task;
            _current.TrySetException(new ObjectDisposedException(nameof(OvsdbClient)));
        }
        if (current.IsCompletedSuccessfully)
        {
            await current.Result.DisposeAsync().ConfigureAwait(false);
        }
        await _keepalive.ConfigureAwait(false);
    }

    internal async Task<JToken> RequestAsync(string method, JArray parameters, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, _disposed.Token);
        try
        {
            var connection = await CurrentAsync(linked.Token).ConfigureAwait(false);
            return await connection.RequestAsync(method, parameters, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new OvsdbConnectionException($"OVSDB {method} to {_address} got no answer within {_options.RequestTimeout.TotalSeconds:0.#} s");
        }
    }

    private async Task<OvsdbConnection> CurrentAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task<OvsdbConnection> current;
            lock (_gate)
            {
                current = _current.Task;
            }
            var connection = await current.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (!connection.Closed.IsCompleted)
            {
                return connection;
            }
            // Closed but not yet replaced: the loss handler swaps in a pending connection right after.
            await Task.Yield();
        }
    }

    private void Install(OvsdbConnection connection)
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                // A reconnect that finished while the client was being disposed.
                connection.Abort();
                return;
            }
            if (_current.Task.IsCompleted)
            {
                _current = new TaskCompletionSource<OvsdbConnection>(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            _current.TrySetResult(connection);
        }
        _ = connection.Closed.ContinueWith(t => OnConnectionLost(connection, t.Result), TaskScheduler.Default);
    }
}
