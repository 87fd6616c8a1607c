using Flurl.Http.Testing;
using KvmNovaTuner.OpenStack.Http;
using Microsoft.Extensions.Time.Testing;

namespace KvmNovaTuner.Core.Tests.OpenStack;

public sealed class SessionAuthTests
{
    [Test]
    public async Task Call_ServiceAnswers401Once_ReauthenticatesOnceAndSucceeds()
    {
        using var http = new HttpTest();
        http.IssueToken().NovaVersion();
        http.ForCallsTo($"{FakeCloud.Nova}/servers/s1/metadata").RespondWith("{\"error\":{\"message\":\"expired\"}}", 401).RespondWithJson(new { metadata = new { a = "1" } });
        using var cloud = FakeCloud.Connect(new FakeTimeProvider(FakeCloud.Now));

        var metadata = await cloud.Nova.GetMetadataAsync("s1");

        Assert.That(metadata["a"], Is.EqualTo("1"));
        Assert.That(cloud.Session.TokensIssued, Is.EqualTo(2));
        http.ShouldHaveCalled($"{FakeCloud.Keystone}/auth/tokens").Times(2);
    }

    [Test]
    public void Call_ServiceRefusesFreshTokenToo_ThrowsAuthenticationErrorAfterOneReauth()
    {
        using var http = new HttpTest();
        http.IssueToken().NovaVersion();
        http.ForCallsTo($"{FakeCloud.Nova}/servers/s1/metadata").RespondWith("{\"error\":{\"message\":\"nope\"}}", 401, new Dictionary<string, string> { ["x-openstack-request-id"] = "req-42" });
        using var cloud = FakeCloud.Connect(new FakeTimeProvider(FakeCloud.Now));

        var e = Assert.ThrowsAsync<OpenStackAuthenticationException>(() => cloud.Nova.GetMetadataAsync("s1"));

        Assert.That(e!.StatusCode, Is.EqualTo(401));
        Assert.That(e.RequestId, Is.EqualTo("req-42"));
        Assert.That(e.Message, Does.Contain("refused a freshly issued token"));
        http.ShouldHaveCalled($"{FakeCloud.Keystone}/auth/tokens").Times(2);
    }

    [Test]
    public async Task Token_ReusedWhileValid_RenewedShortlyBeforeExpiresAt()
    {
        using var http = new HttpTest();
        var time = new FakeTimeProvider(FakeCloud.Now);
        http.ForCallsTo($"{FakeCloud.Keystone}/auth/tokens")
            .RespondWithToken("tok-1", FakeCloud.Now, TimeSpan.FromMinutes(10))
            .RespondWithToken("tok-2", FakeCloud.Now + TimeSpan.FromSeconds(541), TimeSpan.FromMinutes(10));
        http.NovaVersion();
        http.ForCallsTo($"{FakeCloud.Nova}/servers/s1/metadata").RespondWithJson(new { metadata = new { } });
        using var cloud = FakeCloud.Connect(time);

        await cloud.Nova.GetMetadataAsync("s1");
        time.Advance(TimeSpan.FromMinutes(8));
        await cloud.Nova.GetMetadataAsync("s1");
        Assert.That(cloud.Session.TokensIssued, Is.EqualTo(1), "a token with 2 of 10 minutes left is reused");

        time.Advance(TimeSpan.FromSeconds(61));
        await cloud.Nova.GetMetadataAsync("s1");
        Assert.That(cloud.Session.TokensIssued, Is.EqualTo(2), "inside the last tenth of its lifetime the token is renewed");
        http.ShouldHaveCalled($"{FakeCloud.Nova}/servers/s1/metadata").WithHeader("X-Auth-Token", "tok-2");
    }

    [Test]
    public void Authenticate_WrongPassword_TypedErrorWithKeystoneMessage()
    {
        using var http = new HttpTest();
        http.ForCallsTo($"{FakeCloud.Keystone}/auth/tokens").RespondWith(
            "{\"error\":{\"code\":401,\"title\":\"Unauthorized\",\"message\":\"The request you have made requires authentication.\"}}", 401);
        using var cloud = FakeCloud.Connect();

        var e = Assert.ThrowsAsync<OpenStackAuthenticationException>(() => cloud.Session.GetTokenAsync());

        Assert.That(e!.Message, Does.Contain("requires authentication"));
        Assert.That(e.Message, Does.Contain("refused the credentials of test"));
        http.ShouldHaveCalled($"{FakeCloud.Keystone}/auth/tokens").Times(1);
    }

    [Test]
    public async Task Catalog_InterfaceAndRegion_SelectMatchingEndpoint()
    {
        using var http = new HttpTest();
        http.IssueToken();
        using var cloud = FakeCloud.Connect(credentials: FakeCloud.PasswordCredentials with { Interface = "internal" });

        Assert.That(await cloud.Session.EndpointAsync("compute"), Is.EqualTo("http://nova.internal:8774/v2.1"));
        Assert.ThrowsAsync<KvmNovaTuner.OpenStack.Auth.CloudConfigException>(() => cloud.Session.EndpointAsync("network"));
    }

    [Test]
    public async Task Microversion_ServerMaxAbovePreferred_SendsPreferredInHeader()
    {
        using var http = new HttpTest();
        http.IssueToken().NovaVersion("2.93");
        http.ForCallsTo($"{FakeCloud.Nova}/servers/s1").RespondWithJson(new { server = new { id = "s1", status = "ACTIVE", flavor = new { original_name = "f", extra_specs = new Dictionary<string, string> { ["hw:cpu_policy"] = "dedicated" } } } });
        using var cloud = FakeCloud.Connect();

        var server = await cloud.Nova.GetServerAsync("s1");

        Assert.That(server.FlavorExtraSpecs["hw:cpu_policy"], Is.EqualTo("dedicated"));
        http.ShouldHaveCalled($"{FakeCloud.Nova}/servers/s1").WithHeader("OpenStack-API-Version", "compute 2.88");
    }

    [Test]
    public async Task Flavors_OldMicroversionWithoutInlineSpecs_FetchesExtraSpecsSeparately()
    {
        using var http = new HttpTest();
        http.IssueToken().NovaVersion("2.53");
        http.ForCallsTo($"{FakeCloud.Nova}/flavors/detail*").RespondWithJson(new { flavors = new[] { new { id = "f1", name = "tuned", vcpus = 2, ram = 2048, disk = 10 } } });
        http.ForCallsTo($"{FakeCloud.Nova}/flavors/f1/os-extra_specs").RespondWithJson(new { extra_specs = new Dictionary<string, string> { ["tuner:iothreads"] = "2" } });
        using var cloud = FakeCloud.Connect();

        var flavors = await cloud.Nova.ListFlavorsAsync();

        Assert.That(flavors.Single().ExtraSpecs["tuner:iothreads"], Is.EqualTo("2"));
        http.ShouldHaveCalled($"{FakeCloud.Nova}/flavors/detail*").WithHeader("OpenStack-API-Version", "compute 2.53");
    }
}
