using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.OpenStack.Nova;

/// <summary>Compute services (os-services): whether a host's nova-compute is up and reporting.</summary>
public sealed partial class NovaClient
{
    /// <summary>The nova-compute service of <paramref name="host"/>, or null when Nova lists none for it.</summary>
    public async Task<NovaComputeService?> FindComputeServiceAsync(string host, CancellationToken cancellationToken = default)
    {
        var json = await CallAsync(HttpMethod.Get, $"/os-services?binary=nova-compute&host={Uri.EscapeDataString(host)}", null, cancellationToken).ConfigureAwait(false);
        var service = (json["services"] as JArray)?.FirstOrDefault(s => (string?)s["host"] == host);
        return service is null ? null : new NovaComputeService(
            host, (string?)service["state"] ?? "", (string?)service["status"] ?? "", (string?)service["updated_at"]);
    }
}

/// <summary>One nova-compute service as os-services reports it (state up/down from its heartbeat, status enabled/disabled).</summary>
public sealed record NovaComputeService(string Host, string State, string Status, string? UpdatedAt)
{
    /// <summary>Up (heard from within Nova's service_down_time) and enabled: the scheduler can place servers on it.</summary>
    public bool IsUp => State == "up" && Status == "enabled";
}
