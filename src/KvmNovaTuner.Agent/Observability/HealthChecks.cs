namespace KvmNovaTuner.Agent.Observability;

/// <summary>One dependency the agent needs (broker, libvirt, OVSDB, OpenStack API), checked on each /healthz request.</summary>
public interface IHealthCheck
{
    /// <summary>Short stable name shown in the /healthz body (<c>broker</c>, <c>libvirt</c>, <c>ovsdb</c>, <c>api</c>).</summary>
    string Name { get; }

    Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken = default);
}

/// <summary>The result of one check; <see cref="Detail"/> never contains a secret.</summary>
public sealed record HealthCheckResult(bool Healthy, string Detail)
{
    public static HealthCheckResult Ok(string detail = "ok") => new(true, detail);
    public static HealthCheckResult Fail(string detail) => new(false, detail);
}

/// <summary>A check defined by a function, for wiring checks from other components.</summary>
public sealed class DelegateHealthCheck(string name, Func<CancellationToken, Task<HealthCheckResult>> check) : IHealthCheck
{
    public string Name => name;
    public Task<HealthCheckResult> CheckAsync(CancellationToken cancellationToken = default) => check(cancellationToken);
}

/// <summary>Runs every check with a per-check time limit and aggregates them into one report.</summary>
public sealed class HealthReporter(IEnumerable<IHealthCheck> checks, TimeSpan perCheckTimeout)
{
    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        var results = await Task.WhenAll(checks.Select(c => RunOneAsync(c, cancellationToken))).ConfigureAwait(false);
        return new HealthReport(results.All(r => r.Result.Healthy), results.ToDictionary(r => r.Name, r => r.Result));
    }

    private async Task<(string Name, HealthCheckResult Result)> RunOneAsync(IHealthCheck check, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(perCheckTimeout);
        try
        {
            return (check.Name, await check.CheckAsync(timeout.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (check.Name, HealthCheckResult.Fail($"no answer within {perCheckTimeout.TotalSeconds:0.#}s"));
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException or UnauthorizedAccessException or System.Net.Http.HttpRequestException)
        {
            return (check.Name, HealthCheckResult.Fail($"{e.GetType().Name}: {e.Message}"));
        }
    }
}

/// <summary>All check results; healthy only when every check is.</summary>
public sealed record HealthReport(bool Healthy, IReadOnlyDictionary<string, HealthCheckResult> Checks);
