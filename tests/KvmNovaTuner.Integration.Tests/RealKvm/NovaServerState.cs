using System.Net.Http.Headers;
using KvmNovaTuner.OpenStack;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Integration.Tests.RealKvm;

/// <summary>The server fields and action the product's Nova client does not need: power state, libvirt instance name, hard reboot.</summary>
internal static class NovaServerState
{
    /// <summary>Nova's power_state value for a running guest.</summary>
    public const int Running = 1;

    public static async Task<(string Status, string? TaskState, int PowerState, string? InstanceName)> GetAsync(OpenStackConnection admin, string serverId)
    {
        var json = JObject.Parse(await SendAsync(admin, HttpMethod.Get, $"/servers/{serverId}", null));
        var s = (JObject)json["server"]!;
        return ((string)s["status"]!, (string?)s["OS-EXT-STS:task_state"], (int?)s["OS-EXT-STS:power_state"] ?? -1, (string?)s["OS-EXT-SRV-ATTR:instance_name"]);
    }

    public static Task HardRebootAsync(OpenStackConnection admin, string serverId) =>
        SendAsync(admin, HttpMethod.Post, $"/servers/{serverId}/action", new JObject { ["reboot"] = new JObject { ["type"] = "HARD" } });

    private static async Task<string> SendAsync(OpenStackConnection admin, HttpMethod method, string path, JObject? body)
    {
        var token = await admin.Session.GetTokenAsync();
        var endpoint = (await admin.Session.EndpointAsync("compute")).TrimEnd('/');
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        using var request = new HttpRequestMessage(method, endpoint + path);
        request.Headers.Add("X-Auth-Token", token.Value);
        request.Headers.Add("OpenStack-API-Version", "compute 2.74");
        if (body is not null) request.Content = new StringContent(body.ToString(), new MediaTypeHeaderValue("application/json"));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) Assert.Fail($"{method} {path}: {(int)response.StatusCode} {text}");
        return text;
    }
}
