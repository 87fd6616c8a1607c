namespace KvmNovaTuner.Ovs.Protocol;

/// <summary>The connection to the OVSDB server failed or was lost before an answer arrived.</summary>
public sealed class OvsdbConnectionException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The server answered a JSON-RPC request with a top-level error (e.g. unknown database, bad syntax).</summary>
public sealed class OvsdbRpcException(string method, string error) : Exception($"OVSDB {method} failed: {error}")
{
    public string Method { get; } = method;
    public string Error { get; } = error;
}

/// <summary>
/// One operation of a transaction failed (its error came back inside <c>result[]</c>), or the commit failed;
/// <see cref="OperationIndex"/> names the operation (equal to the operation count for a commit error).
/// </summary>
public sealed class OvsdbTransactionException(int operationIndex, string? operation, string error, string? details)
    : Exception($"OVSDB operation {operationIndex} ({operation ?? "commit"}) failed: {error}{(details is null ? "" : $" ({details})")}")
{
    public int OperationIndex { get; } = operationIndex;
    public string? Operation { get; } = operation;
    public string Error { get; } = error;
    public string? Details { get; } = details;

    /// <summary>True when a <c>wait</c> operation found the rows changed (optimistic concurrency lost).</summary>
    public bool IsWaitTimeout => Operation == "wait" && Error == "timed out";
}

/// <summary>An update, mutate or delete that was required to match rows matched none (the server reports <c>count: 0</c>, not an error).</summary>
public sealed class OvsdbNoRowsMatchedException(int operationIndex, string operation, string table)
    : Exception($"OVSDB operation {operationIndex} ({operation} on {table}) matched no row")
{
    public int OperationIndex { get; } = operationIndex;
    public string Table { get; } = table;
}
