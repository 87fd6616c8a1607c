using Flurl.Http.Testing;
using KvmNovaTuner.OpenStack.Http;

namespace KvmNovaTuner.Core.Tests.OpenStack;

public sealed class RetryTests
{
    private const string Metadata = $"{FakeCloud.Nova}/servers/s1/metadata/tuner%3Astatus";

    private static HttpTest Cloud()
    {
        var http = new HttpTest();
        http.IssueToken().NovaVersion();
        return http;
    }

    [Test]
    public async Task SetMetadata_503Then200_RetriedAndSucceeds()
    {
        using var http = Cloud();
        http.ForCallsTo(Metadata).RespondWith("{\"computeFault\":{\"message\":\"boom\"}}", 503).RespondWithJson(new { meta = new { } });
        using var cloud = FakeCloud.Connect();

        await cloud.Nova.SetMetadataItemAsync("s1", "tuner:status", "applied");

        http.ShouldHaveCalled(Metadata).WithVerb(HttpMethod.Put).Times(2);
    }

    [Test]
    public async Task CreateImage_409WhileTaskRuns_RetriedUntilTaskEnds()
    {
        using var http = Cloud();
        const string conflict = "{\"conflictingRequest\":{\"code\":409,\"message\":\"Cannot 'createImage' instance s1 while it is in task_state image_uploading\"}}";
        http.ForCallsTo($"{FakeCloud.Nova}/servers/s1/action").RespondWith(conflict, 409).RespondWith(conflict, 409).RespondWithJson(new { image_id = "img-1" }, 202);
        using var cloud = FakeCloud.Connect();

        var image = await cloud.Nova.CreateImageAsync("s1", "snap");

        Assert.That(image, Is.EqualTo("img-1"));
        http.ShouldHaveCalled($"{FakeCloud.Nova}/servers/s1/action").Times(3);
    }

    [Test]
    public void Rebuild_409BecauseLocked_NotRetriedAndTyped()
    {
        using var http = Cloud();
        http.ForCallsTo($"{FakeCloud.Nova}/servers/s1/action").RespondWith(
            "{\"conflictingRequest\":{\"code\":409,\"message\":\"Instance s1 is locked\"}}", 409, new Dictionary<string, string> { ["x-compute-request-id"] = "req-c1" });
        using var cloud = FakeCloud.Connect();

        var e = Assert.ThrowsAsync<OpenStackApiException>(() => cloud.Nova.RebuildAsync("s1", "img"));

        Assert.That(e!.StatusCode, Is.EqualTo(409));
        Assert.That(e.RequestId, Is.EqualTo("req-c1"));
        Assert.That(e.Detail, Does.Contain("is locked"));
        http.ShouldHaveCalled($"{FakeCloud.Nova}/servers/s1/action").Times(1);
    }

    [Test]
    public async Task SetMetadata_TimeoutThenAnswer_Retried()
    {
        using var http = Cloud();
        http.ForCallsTo(Metadata).SimulateTimeout().RespondWithJson(new { meta = new { } });
        using var cloud = FakeCloud.Connect();

        await cloud.Nova.SetMetadataItemAsync("s1", "tuner:status", "applied");

        http.ShouldHaveCalled(Metadata).Times(2);
    }

    [Test]
    public void CreateImage_PostTimesOut_NotRepeatedBecauseItMayHaveStarted()
    {
        using var http = Cloud();
        http.ForCallsTo($"{FakeCloud.Nova}/servers/s1/action").SimulateTimeout().RespondWithJson(new { image_id = "img-2" }, 202);
        using var cloud = FakeCloud.Connect();

        var e = Assert.ThrowsAsync<OpenStackUnavailableException>(() => cloud.Nova.CreateImageAsync("s1", "snap"));

        Assert.That(e!.SafeToRetry, Is.False);
        http.ShouldHaveCalled($"{FakeCloud.Nova}/servers/s1/action").Times(1);
    }

    [Test]
    public void SetMetadata_ConnectionRefusedEveryTime_GivesUpAfterMaxAttemptsAsUnavailable()
    {
        using var http = Cloud();
        http.ForCallsTo(Metadata).SimulateException(new HttpRequestException("Connection refused (nova.test:8774)"));
        using var cloud = FakeCloud.Connect(retries: 3);

        var e = Assert.ThrowsAsync<OpenStackUnavailableException>(() => cloud.Nova.SetMetadataItemAsync("s1", "tuner:status", "applied"));

        Assert.That(e!.Message, Does.Contain("Connection refused"));
        http.ShouldHaveCalled(Metadata).Times(4);
    }

    [Test]
    public void GetServer_404_TypedErrorCarriesStatusRequestIdAndNovaMessage()
    {
        using var http = Cloud();
        http.ForCallsTo($"{FakeCloud.Nova}/servers/nope").RespondWith(
            "{\"itemNotFound\":{\"code\":404,\"message\":\"Instance nope could not be found.\"}}", 404, new Dictionary<string, string> { ["x-openstack-request-id"] = "req-404" });
        using var cloud = FakeCloud.Connect();

        var e = Assert.ThrowsAsync<OpenStackApiException>(() => cloud.Nova.GetServerAsync("nope"));

        Assert.That(e!.StatusCode, Is.EqualTo(404));
        Assert.That(e.RequestId, Is.EqualTo("req-404"));
        Assert.That(e.Message, Does.Contain("Instance nope could not be found."));
        http.ShouldHaveCalled($"{FakeCloud.Nova}/servers/nope").Times(1);
    }

    [Test]
    public void Call_CancelledWhileTheServiceIsSilent_ThrowsOperationCanceledNotAFlurlError()
    {
        // A socket that accepts and never answers: only the caller's cancellation ends the call.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var keystone = $"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}/v3";
        using var cloud = FakeCloud.Connect(credentials: FakeCloud.PasswordCredentials with { AuthUrl = keystone });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var e = Assert.CatchAsync<OperationCanceledException>(() => cloud.Session.GetTokenAsync(cancel.Token));

        Assert.That(e!.Message, Does.Not.Contain(FakeCloud.Password));
    }
}
