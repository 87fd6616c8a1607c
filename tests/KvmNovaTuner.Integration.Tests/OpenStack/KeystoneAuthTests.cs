using KvmNovaTuner.Integration.Tests.Support;
using KvmNovaTuner.OpenStack;
using KvmNovaTuner.OpenStack.Http;

namespace KvmNovaTuner.Integration.Tests.OpenStack;

/// <summary>Against the real Keystone started by scripts/services/keystone.sh (Debian's package, sqlite, fernet).</summary>
public sealed class KeystoneAuthTests
{
    [Test]
    public async Task PasswordAuth_TunerServiceUser_ScopedTokenWithComputeAndImageEndpoints()
    {
        using var cloud = TestCloud.Connect("KNT_OS_TUNER_CLOUD");

        var token = await cloud.Session.GetTokenAsync();

        Assert.That(token.ProjectId, Is.Not.Null.And.Not.Empty);
        Assert.That(token.ExpiresAt, Is.GreaterThan(DateTimeOffset.UtcNow));
        Assert.That(await cloud.Session.EndpointAsync("compute"), Does.StartWith("http://127.0.0.1:").And.EndWith("/v2.1"));
        Assert.That(await cloud.Session.EndpointAsync("image"), Does.StartWith("http://127.0.0.1:"));
    }

    [Test]
    public async Task ApplicationCredentialAuth_TokenCarriesTheCredentialsProject()
    {
        using var appCred = TestCloud.Connect("KNT_OS_APPCRED_CLOUD");
        using var password = TestCloud.Connect("KNT_OS_TUNER_CLOUD");

        var viaAppCred = await appCred.Session.GetTokenAsync();
        var viaPassword = await password.Session.GetTokenAsync();

        Assert.That(appCred.Session.Credentials.UsesApplicationCredential, Is.True);
        Assert.That(viaAppCred.ProjectId, Is.EqualTo(viaPassword.ProjectId));
        Assert.That(viaAppCred.UserId, Is.EqualTo(viaPassword.UserId));
        Assert.That(await appCred.Session.EndpointAsync("compute"), Is.EqualTo(await password.Session.EndpointAsync("compute")));
    }

    [Test]
    public void PasswordAuth_WrongPassword_TypedErrorWithoutThePassword()
    {
        const string wrong = "not-the-password-9d1c";
        using var cloud = new OpenStackConnection(TestCloud.Credentials("KNT_OS_TUNER_CLOUD") with { Password = wrong });

        var e = Assert.ThrowsAsync<OpenStackAuthenticationException>(() => cloud.Session.GetTokenAsync());

        Assert.That(e!.StatusCode, Is.EqualTo(401));
        Assert.That(e.RequestId, Is.Not.Null, "Keystone's x-openstack-request-id is kept");
        Assert.That(e.ToString(), Does.Not.Contain(wrong));
    }

    [Test]
    public async Task RevokedToken_KeystoneAnswers401_SessionReauthenticatesOnceTransparently()
    {
        using var cloud = TestCloud.Connect("KNT_OS_TUNER_CLOUD");
        var identity = ServiceEnvironment.Require("KNT_KEYSTONE_URL", "Keystone");
        var first = await cloud.Session.GetTokenAsync();
        await cloud.Session.SendAsync(new TransportRequest("identity", HttpMethod.Delete, identity + "/auth/tokens")
        {
            Headers = new Dictionary<string, string> { ["X-Subject-Token"] = first.Value },
        });

        var projects = await cloud.Session.SendAsync(new TransportRequest("identity", HttpMethod.Get, identity + "/auth/projects"));

        Assert.That(projects.StatusCode, Is.EqualTo(200));
        Assert.That(cloud.Session.TokensIssued, Is.EqualTo(2));
        Assert.That((await cloud.Session.GetTokenAsync()).Value, Is.Not.EqualTo(first.Value));
    }

    [Test]
    public async Task TokenExpiry_DuringALongRun_RenewedWithoutAFailedCall()
    {
        var lifetime = int.Parse(ServiceEnvironment.Require("KNT_KEYSTONE_TOKEN_EXPIRATION", "Keystone"), System.Globalization.CultureInfo.InvariantCulture);
        if (lifetime > 600) Assert.Ignore($"Keystone's token lifetime is {lifetime} s; this test needs a short one (keystone.sh sets 300 s)");
        using var cloud = TestCloud.Connect("KNT_OS_TUNER_CLOUD");
        var identity = ServiceEnvironment.Require("KNT_KEYSTONE_URL", "Keystone");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(lifetime * 2 + 30);
        var calls = 0;

        while (cloud.Session.TokensIssued < 2 && DateTime.UtcNow < deadline)
        {
            var response = await cloud.Session.SendAsync(new TransportRequest("identity", HttpMethod.Get, identity + "/auth/projects"));
            Assert.That(response.StatusCode, Is.EqualTo(200));
            calls++;
            await Task.Delay(TimeSpan.FromSeconds(3));
        }

        Assert.That(cloud.Session.TokensIssued, Is.GreaterThanOrEqualTo(2), $"a new token was obtained within {lifetime * 2 + 30} s ({calls} calls)");
    }
}
