using Flurl.Http.Testing;
using KvmNovaTuner.Agent.Observability;
using KvmNovaTuner.Core.Tests.OpenStack;
using KvmNovaTuner.OpenStack;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>The /healthz "api" check against canned Keystone and Nova answers (Flurl HttpTest).</summary>
public sealed class OpenStackApiCheckTests
{
    private const string Token = "tok-SECRET-1";

    private static OpenStackApiCheck Check(OpenStackConnection cloud, TimeProvider time) =>
        new(() => cloud.Session, time, cacheFor: TimeSpan.FromSeconds(10));

    private static void AssertNoSecret(HealthCheckResult result) =>
        Assert.That(result.Detail, Does.Not.Contain(FakeCloud.Password).And.Not.Contain(Token));

    private static void AssertUnhealthyNaming(HealthCheckResult result, params string[] expected) => Assert.Multiple(() =>
    {
        Assert.That(result.Healthy, Is.False);
        foreach (var text in expected) Assert.That(result.Detail, Does.Contain(text));
        AssertNoSecret(result);
    });

    [Test]
    public async Task Healthz_CloudAnswers_ReportsHealthyNamingKeystoneAndCompute()
    {
        using var http = new HttpTest();
        http.IssueToken(Token).NovaVersion();
        var time = new FakeTimeProvider(FakeCloud.Now);
        using var cloud = FakeCloud.Connect(time);

        var result = await Check(cloud, time).CheckAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.Healthy, Is.True, result.Detail);
            Assert.That(result.Detail, Does.Contain(FakeCloud.Keystone).And.Contain(FakeCloud.Nova));
            AssertNoSecret(result);
        });
        http.ShouldHaveCalled($"{FakeCloud.Nova}/").WithHeader("X-Auth-Token", Token).Times(1);
    }

    [Test]
    public async Task Healthz_KeystoneRefusesCredentials_ReportsUnhealthyNamingKeystoneWithoutThePassword()
    {
        using var http = new HttpTest();
        http.ForCallsTo($"{FakeCloud.Keystone}/auth/tokens").RespondWith(
            $"{{\"error\":{{\"code\":401,\"message\":\"bad password {FakeCloud.Password}\"}}}}", 401);
        var time = new FakeTimeProvider(FakeCloud.Now);
        using var cloud = FakeCloud.Connect(time);

        var result = await Check(cloud, time).CheckAsync();

        AssertUnhealthyNaming(result, FakeCloud.Keystone, "401");
        http.ShouldHaveCalled($"{FakeCloud.Keystone}/auth/tokens").Times(1);
        http.ShouldNotHaveCalled($"{FakeCloud.Nova}/*");
    }

    [Test]
    public async Task Healthz_KeystoneUnreachable_ReportsUnhealthyNamingTheEndpointWithoutRetrying()
    {
        using var http = new HttpTest();
        http.ForCallsTo($"{FakeCloud.Keystone}/auth/tokens").SimulateException(new HttpRequestException("Connection refused"));
        var time = new FakeTimeProvider(FakeCloud.Now);
        using var cloud = FakeCloud.Connect(time);

        var result = await Check(cloud, time).CheckAsync();

        AssertUnhealthyNaming(result, FakeCloud.Keystone, "Connection refused");
        http.ShouldHaveCalled($"{FakeCloud.Keystone}/auth/tokens").Times(1);
    }

    [Test]
    public async Task Healthz_ComputeAnswers503_ReportsUnhealthyNamingTheComputeEndpoint()
    {
        using var http = new HttpTest();
        http.IssueToken(Token);
        http.ForCallsTo($"{FakeCloud.Nova}/").RespondWith("{\"error\":{\"message\":\"nova-api is restarting\"}}", 503);
        var time = new FakeTimeProvider(FakeCloud.Now);
        using var cloud = FakeCloud.Connect(time);

        var result = await Check(cloud, time).CheckAsync();

        AssertUnhealthyNaming(result, FakeCloud.Nova, "503", "restarting");
        http.ShouldHaveCalled($"{FakeCloud.Nova}/").Times(1);
    }

    [Test]
    public async Task Healthz_ComputeTimesOut_ReportsUnhealthyNamingTheComputeEndpoint()
    {
        using var http = new HttpTest();
        http.IssueToken(Token);
        http.ForCallsTo($"{FakeCloud.Nova}/").SimulateTimeout();
        var time = new FakeTimeProvider(FakeCloud.Now);
        using var cloud = FakeCloud.Connect(time);

        var result = await Check(cloud, time).CheckAsync();

        AssertUnhealthyNaming(result, FakeCloud.Nova, "timed out");
    }

    [Test]
    public async Task Healthz_KeystoneAcceptsButNeverAnswers_ReportsUnhealthyWithinTheTimeLimitNamingKeystone()
    {
        // A socket that accepts and stays silent (HttpTest cannot hang); the limit is real but short.
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        var keystone = $"http://127.0.0.1:{((System.Net.IPEndPoint)silent.LocalEndpoint).Port}/v3";
        using var cloud = FakeCloud.Connect(TimeProvider.System, credentials: FakeCloud.PasswordCredentials with { AuthUrl = keystone });
        var check = new OpenStackApiCheck(() => cloud.Session, TimeProvider.System, timeout: TimeSpan.FromMilliseconds(300));

        var result = await check.CheckAsync().WaitAsync(TimeSpan.FromSeconds(10));

        AssertUnhealthyNaming(result, keystone, "within 0.3s");
    }

    [Test]
    public async Task Healthz_ScrapedAgainWithinTheCacheTime_DoesNotAskKeystoneOrComputeAgain()
    {
        using var http = new HttpTest();
        http.IssueToken(Token).NovaVersion();
        var time = new FakeTimeProvider(FakeCloud.Now);
        using var cloud = FakeCloud.Connect(time);
        var check = Check(cloud, time);

        await check.CheckAsync();
        time.Advance(TimeSpan.FromSeconds(5));
        await check.CheckAsync();
        http.ShouldHaveCalled($"{FakeCloud.Nova}/").Times(1);

        time.Advance(TimeSpan.FromSeconds(6));
        var later = await check.CheckAsync();

        Assert.That(later.Healthy, Is.True);
        http.ShouldHaveCalled($"{FakeCloud.Nova}/").Times(2);
        http.ShouldHaveCalled($"{FakeCloud.Keystone}/auth/tokens").Times(1);
    }

    [Test]
    public async Task Healthz_KeystoneFailureCached_WrongPasswordNotRetriedOnEveryScrape()
    {
        using var http = new HttpTest();
        http.ForCallsTo($"{FakeCloud.Keystone}/auth/tokens").RespondWith("{\"error\":{\"message\":\"nope\"}}", 401);
        var time = new FakeTimeProvider(FakeCloud.Now);
        using var cloud = FakeCloud.Connect(time);
        var check = Check(cloud, time);

        await check.CheckAsync();
        var again = await check.CheckAsync();

        Assert.That(again.Healthy, Is.False);
        http.ShouldHaveCalled($"{FakeCloud.Keystone}/auth/tokens").Times(1);
    }

    [Test]
    public async Task Healthz_NoCloudConfigured_ReportsNotConfiguredWithoutFailing()
    {
        var check = new OpenStackApiCheck(() => null, new FakeTimeProvider(FakeCloud.Now));

        var result = await check.CheckAsync();

        Assert.Multiple(() =>
        {
            Assert.That(result.Healthy, Is.True);
            Assert.That(result.Detail, Does.StartWith("not configured"));
            Assert.That(check.Name, Is.EqualTo("api"));
        });
    }
}
