using KvmNovaTuner.Integration.Tests.OpenStack;
using KvmNovaTuner.Integration.Tests.Support;
using KvmNovaTuner.Libvirt.Native;
using KvmNovaTuner.OpenStack;
using KvmNovaTuner.OpenStack.Nova;
using RabbitMQ.Client;

namespace KvmNovaTuner.Integration.Tests.EndToEnd;

/// <summary>
/// The single-node stack the end-to-end tests run on (scripts/services.sh: RabbitMQ, OVSDB, Keystone, Glance,
/// Nova with the fake virt driver and versioned notifications, libvirt's test driver) and the Nova calls they make.
/// Missing services ignore the test with the reason printed.
/// </summary>
internal sealed record EndToEndStack(string BrokerUrl, string ComputeHost, string CloudsYaml, string TunerCloud, string Ovsdb)
{
    /// <summary>
    /// Generous bounds for a loaded 2-core machine: Nova on sqlite with the fake driver took 30-200 s from the
    /// request to ACTIVE in CI runs here (placement calls of 5-9 s each while the test suite runs).
    /// </summary>
    public static readonly TimeSpan ServerActive = TimeSpan.FromMinutes(8);

    /// <summary>How long a test waits for the agent's journal row or Nova's tuner:status after the server is ACTIVE.</summary>
    public static readonly TimeSpan AgentOutcome = TimeSpan.FromMinutes(5);

    public static EndToEndStack Require()
    {
        var broker = ServiceEnvironment.Require("KNT_RABBITMQ_URL", "RabbitMQ");
        var clouds = ServiceEnvironment.Require("KNT_OS_CLOUDS_YAML", "Keystone");
        var cloud = ServiceEnvironment.Require("KNT_OS_TUNER_CLOUD", "Keystone");
        ServiceEnvironment.Require("KNT_NOVA_URL", "Nova");
        var host = ServiceEnvironment.Require("KNT_NOVA_COMPUTE_HOST", "Nova (compute)");
        var ovsdb = ServiceEnvironment.Require("KNT_OVSDB_SOCKET", "ovsdb-server");
        if (!LibvirtRuntime.IsAvailable(out var reason)) Assert.Ignore(reason);
        return new EndToEndStack(broker, host, clouds, cloud, ovsdb);
    }

    /// <summary>The agent's queue name on Nova's exchange (kvm-nova-tuner.HOST).</summary>
    public string AgentQueue => $"kvm-nova-tuner.{ComputeHost}";

    /// <summary>
    /// Declares and binds the agent's durable queue as its first start on a compute host would, so Nova's
    /// notifications for servers booted before the agent process starts wait in it.
    /// </summary>
    public async Task PrepareAgentQueueAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(BrokerUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync("nova", ExchangeType.Topic, durable: false, autoDelete: false);
        await channel.QueueDeclareAsync(AgentQueue, durable: true, exclusive: false, autoDelete: false);
        foreach (var key in new[] { "versioned_notifications.info", "versioned_notifications.error" })
        {
            await channel.QueueBindAsync(AgentQueue, "nova", key);
        }
    }

    /// <summary>Deletes the agent's queues so the next test starts with none of this one's messages.</summary>
    public async Task DeleteAgentQueueAsync()
    {
        await using var connection = await new ConnectionFactory { Uri = new Uri(BrokerUrl) }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(AgentQueue);
        await channel.QueueDeleteAsync(AgentQueue + ".dead-letter");
    }

    /// <summary>A 1 KiB image and a flavor with <paramref name="specs"/>, created through Glance and the Nova API.</summary>
    public static async Task<(string ImageId, NovaFlavor Flavor)> CreateImageAndFlavorAsync(OpenStackConnection admin, IReadOnlyDictionary<string, string> specs)
    {
        await WaitForComputeUpAsync(admin);
        var image = await admin.Glance.CreateImageAsync(TestCloud.Unique("knt-e2e-image"));
        await admin.Glance.UploadAsync(image.Id, new byte[1024]);
        var flavor = await admin.Nova.CreateFlavorAsync(new(TestCloud.Unique("knt-e2e-tuned"), 1, 128, 1, "end-to-end tuned flavor"));
        await admin.Nova.SetExtraSpecsAsync(flavor.Id, specs);
        return (image.Id, flavor);
    }

    /// <summary>
    /// Waits (bounded) until Nova reports this stack's nova-compute up and enabled, so a boot is never scheduled
    /// while an earlier test's restart of a shared service has the compute's heartbeat stale ("No valid host").
    /// </summary>
    public static async Task WaitForComputeUpAsync(OpenStackConnection admin)
    {
        var host = ServiceEnvironment.Require("KNT_NOVA_COMPUTE_HOST", "Nova (compute)");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        NovaComputeService? last = null;
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            last = await admin.Nova.FindComputeServiceAsync(host);
            if (last is { IsUp: true }) return;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        Assert.Fail($"Nova's compute service on {host} is not up after 3 minutes: {last?.ToString() ?? "not listed"}");
    }

    /// <summary>Polls each server's metadata until <c>tuner:status</c> is set on all of them, or fails naming the ones without.</summary>
    public static async Task<Dictionary<string, IReadOnlyDictionary<string, string>>> WaitForTunerStatusAsync(
        OpenStackConnection admin, IReadOnlyCollection<string> serverIds, TimeSpan timeout, Func<string> diagnostics)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var found = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        while (true)
        {
            foreach (var id in serverIds.Where(i => !found.ContainsKey(i)))
            {
                var metadata = await admin.Nova.GetMetadataAsync(id);
                if (metadata.ContainsKey("tuner:status")) found[id] = metadata;
            }
            if (found.Count == serverIds.Count) return found;
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"no tuner:status after {timeout.TotalSeconds} s on {string.Join(", ", serverIds.Where(i => !found.ContainsKey(i)))}\n{diagnostics()}");
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Deletes what a test created; failures here never hide the test's own result.</summary>
    public static async Task CleanupAsync(OpenStackConnection admin, IEnumerable<string> serverIds, string? flavorId, string? imageId)
    {
        var ids = serverIds.ToList();
        foreach (var id in ids)
        {
            try { await admin.Nova.DeleteServerAsync(id); } catch (Exception e) when (e is HttpRequestException or KvmNovaTuner.OpenStack.Http.OpenStackApiException) { }
        }
        await WaitUntilGoneAsync(admin, ids, TimeSpan.FromMinutes(5));
        try { if (flavorId is not null) await admin.Nova.DeleteFlavorAsync(flavorId); } catch (KvmNovaTuner.OpenStack.Http.OpenStackApiException) { }
        try { if (imageId is not null) await admin.Glance.DeleteImageAsync(imageId); } catch (KvmNovaTuner.OpenStack.Http.OpenStackApiException) { }
    }

    /// <summary>
    /// Waits (bounded) until Nova has finished deleting the servers, so the next test does not queue its build
    /// behind this one's deletions on the single fake compute host. Servers still there at the bound are printed.
    /// </summary>
    private static async Task WaitUntilGoneAsync(OpenStackConnection admin, List<string> ids, TimeSpan bound)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var left = ids;
        while (left.Count > 0 && clock.Elapsed < bound)
        {
            var still = new List<string>();
            foreach (var id in left)
            {
                try
                {
                    await admin.Nova.GetServerAsync(id);
                    still.Add(id);
                }
                catch (KvmNovaTuner.OpenStack.Http.OpenStackApiException e) when (e.StatusCode == 404)
                {
                }
                catch (Exception e) when (e is HttpRequestException or KvmNovaTuner.OpenStack.Http.OpenStackApiException)
                {
                    still.Add(id);
                }
            }
            left = still;
            if (left.Count > 0) await Task.Delay(TimeSpan.FromSeconds(2));
        }
        TestContext.Progress.WriteLine(left.Count == 0
            ? $"cleanup: {ids.Count} servers deleted in {clock.Elapsed.TotalSeconds:F0} s"
            : $"cleanup: {left.Count} servers still present after {bound.TotalMinutes:F0} min: {string.Join(", ", left)}");
    }
}
