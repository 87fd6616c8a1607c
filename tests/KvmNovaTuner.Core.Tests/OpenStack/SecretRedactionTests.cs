using Flurl.Http.Testing;
using KvmNovaTuner.OpenStack.Http;

namespace KvmNovaTuner.Core.Tests.OpenStack;

/// <summary>Passwords, application-credential secrets and tokens never reach a log line or an exception message.</summary>
public sealed class SecretRedactionTests
{
    private const string Token = "gAAAAABtoken-value-that-must-stay-hidden";

    [Test]
    public void KeystoneError_EchoingThePassword_NeitherMessageNorLogShowIt()
    {
        using var http = new HttpTest();
        http.ForCallsTo($"{FakeCloud.Keystone}/auth/tokens").RespondWith(
            $"{{\"error\":{{\"code\":401,\"message\":\"bad password {FakeCloud.Password} for user\"}}}}", 401);
        var logs = new ListLoggerFactory();
        using var cloud = FakeCloud.Connect(loggers: logs);

        var e = Assert.ThrowsAsync<OpenStackAuthenticationException>(() => cloud.Session.GetTokenAsync());

        Assert.That(e!.Message, Does.Contain("bad password *** for user"));
        Assert.That(e.ToString(), Does.Not.Contain(FakeCloud.Password));
        Assert.That(logs.Lines, Has.None.Contains(FakeCloud.Password));
    }

    [Test]
    public void ServiceError_EchoingTheToken_IsScrubbedAndRetriesLogNoSecret()
    {
        using var http = new HttpTest();
        http.IssueToken(Token).NovaVersion();
        http.ForCallsTo($"{FakeCloud.Nova}/servers/s1").RespondWith($"{{\"computeFault\":{{\"message\":\"token {Token} broke\"}}}}", 500);
        var logs = new ListLoggerFactory();
        using var cloud = FakeCloud.Connect(loggers: logs, retries: 2);

        var e = Assert.ThrowsAsync<OpenStackApiException>(() => cloud.Nova.GetServerAsync("s1"));

        Assert.That(e!.Message, Does.Contain("token *** broke"));
        Assert.That(e.ToString(), Does.Not.Contain(Token));
        Assert.That(logs.Lines, Has.Some.Contains("retrying"), "the retries were logged");
        Assert.That(logs.Lines, Has.None.Contains(Token));
    }

    [Test]
    public void ApplicationCredentialSecret_NotInLogsErrorsOrToString()
    {
        using var http = new HttpTest();
        http.ForCallsTo($"{FakeCloud.Keystone}/auth/tokens").RespondWith($"secret {FakeCloud.AppSecret} rejected", 401);
        var logs = new ListLoggerFactory();
        var credentials = FakeCloud.PasswordCredentials with { Password = null, ApplicationCredentialId = "ac1", ApplicationCredentialSecret = FakeCloud.AppSecret };
        using var cloud = FakeCloud.Connect(loggers: logs, credentials: credentials);

        var e = Assert.ThrowsAsync<OpenStackAuthenticationException>(() => cloud.Session.GetTokenAsync());

        Assert.That(e!.ToString(), Does.Not.Contain(FakeCloud.AppSecret));
        Assert.That(logs.Lines, Has.None.Contains(FakeCloud.AppSecret));
        Assert.That(credentials.ToString(), Does.Not.Contain(FakeCloud.AppSecret).And.Contain("application credential"));
        Assert.That(FakeCloud.PasswordCredentials.ToString(), Does.Not.Contain(FakeCloud.Password));
        http.ShouldHaveCalled($"{FakeCloud.Keystone}/auth/tokens").WithRequestBody("*\"application_credential\"*");
        Assert.That(http.CallLog.Single().RequestBody, Does.Not.Contain("\"scope\""), "application credentials carry their own scope");
    }

    [Test]
    public async Task SuccessfulCalls_DebugLogs_NeverContainTheToken()
    {
        using var http = new HttpTest();
        http.IssueToken(Token).NovaVersion();
        http.ForCallsTo($"{FakeCloud.Nova}/servers/s1/metadata").RespondWithJson(new { metadata = new { } });
        var logs = new ListLoggerFactory();
        using var cloud = FakeCloud.Connect(loggers: logs);

        await cloud.Nova.GetMetadataAsync("s1");

        Assert.That(logs.Lines, Has.Some.Contains("/servers/s1/metadata"));
        Assert.That(logs.Lines, Has.None.Contains(Token).And.None.Contains(FakeCloud.Password));
        Assert.That((await cloud.Session.GetTokenAsync()).ToString(), Does.Not.Contain(Token));
    }
}
