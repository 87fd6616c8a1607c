using KvmNovaTuner.OpenStack;
using Newtonsoft.Json.Linq;

namespace KvmNovaTuner.Integration.Tests.OpenStack;

/// <summary>
/// One server booted once per test run on the fake-driver compute host: a 1 KiB raw image uploaded to the real
/// Glance, a small flavor with extra specs, "networks": "none". Shared by the tests that need a real server.
/// </summary>
internal static class BootedServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static (string ServerId, string ImageId, string FlavorId)? booted;

    public static readonly IReadOnlyDictionary<string, string> FlavorSpecs = new Dictionary<string, string>
    {
        ["hw:cpu_policy"] = "shared",
        ["tuner:iothreads"] = "1",
        ["tuner:snapshot_keep"] = "2",
    };

    public static async Task<(string ServerId, string ImageId, string FlavorId)> GetAsync(OpenStackConnection admin)
    {
        TestCloud.RequireNova();
        await Gate.WaitAsync();
        try
        {
            if (booted is { } known) return known;
            var image = await admin.Glance.CreateImageAsync(TestCloud.Unique("knt-it-image"));
            await admin.Glance.UploadAsync(image.Id, new byte[1024]);
            var flavor = await admin.Nova.CreateFlavorAsync(new(TestCloud.Unique("knt-it-tiny"), 1, 128, 1, "integration test flavor"));
            await admin.Nova.SetExtraSpecsAsync(flavor.Id, FlavorSpecs);
            await EndToEnd.EndToEndStack.WaitForComputeUpAsync(admin);
            var serverId = await admin.Nova.CreateServerAsync(TestCloud.Unique("knt-it-server"), image.Id, flavor.Id);
            await WaitForStatusAsync(admin, serverId, "ACTIVE", TestCloud.SlowCloud);
            booted = (serverId, image.Id, flavor.Id);
            return booted.Value;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// Snapshots the server through Nova (createImage) and waits until the image is active. Nova's fake driver never
    /// uploads snapshot data, so the image would stay queued: this uploads <paramref name="size"/> bytes to it
    /// (PUT /v2/images/{id}/file), which is what a real driver's upload does, and Glance makes it active.
    /// </summary>
    public static async Task<string> SnapshotAsync(OpenStackConnection admin, string serverId, int size = 1024)
    {
        await WaitForStatusAsync(admin, serverId, "ACTIVE", TestCloud.SlowCloud);
        var imageId = await admin.Nova.CreateImageAsync(serverId, TestCloud.Unique("knt-it-snap"));
        await admin.Glance.UpdateAsync(imageId, new Dictionary<string, JToken> { ["disk_format"] = "raw", ["container_format"] = "bare" });
        await admin.Glance.UploadAsync(imageId, new byte[size]);
        await WaitForStatusAsync(admin, serverId, "ACTIVE", TestCloud.SlowCloud);
        return imageId;
    }

    /// <summary>Polls until the server reaches <paramref name="status"/> with no task; fails on ERROR or timeout.</summary>
    public static async Task WaitForStatusAsync(OpenStackConnection admin, string serverId, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var server = await admin.Nova.GetServerAsync(serverId);
            if (server.Status == status && server.TaskState is null) return;
            if (server.Status == "ERROR") Assert.Fail($"server {serverId} went to ERROR: {server.Fault}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"server {serverId} still {server.Status}/{server.TaskState} after {timeout.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }
}
