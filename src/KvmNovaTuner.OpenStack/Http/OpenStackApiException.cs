namespace KvmNovaTuner.OpenStack.Http;

/// <summary>
/// An OpenStack API answered with an error: the HTTP status, the request id (x-openstack-request-id or
/// x-compute-request-id) and the message from the service's error body. The message never carries a secret.
/// </summary>
public class OpenStackApiException(string service, int statusCode, string? requestId, string detail)
    : Exception($"{service} returned {statusCode}: {detail}{(requestId is null ? "" : $" (request {requestId})")}")
{
    public string Service { get; } = service;
    public int StatusCode { get; } = statusCode;
    public string? RequestId { get; } = requestId;
    public string Detail { get; } = detail;

    /// <summary>5xx, or a 409 because the server is busy with a task: worth retrying.</summary>
    public bool IsTransient => StatusCode >= 500 || (StatusCode == 409 && IsTaskConflict(Detail));

    private static bool IsTaskConflict(string detail) =>
        detail.Contains("task_state", StringComparison.OrdinalIgnoreCase)
        || detail.Contains("task state", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Keystone refused to authenticate, or a service refused a freshly issued token.</summary>
public sealed class OpenStackAuthenticationException(string service, int statusCode, string? requestId, string detail)
    : OpenStackApiException(service, statusCode, requestId, detail);

/// <summary>An OpenStack endpoint could not be reached (connection refused, timeout, TLS failure).</summary>
public sealed class OpenStackUnavailableException(string message, Exception? inner = null, bool safeToRetry = true) : Exception(message, inner)
{
    /// <summary>
    /// False when the request may have reached the service and repeating it could act twice (a POST that timed out:
    /// createImage or rebuild may be running already).
    /// </summary>
    public bool SafeToRetry { get; } = safeToRetry;
}
