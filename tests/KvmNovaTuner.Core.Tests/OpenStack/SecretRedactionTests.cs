using Flurl.Http.Testing;
using KvmNovaTuner.Core.Secrets;
using KvmNovaTuner.OpenStack.Http;

namespace KvmNovaTuner.Core.Tests.OpenStack;

/// <summary>Passwords, application-credential secrets and tokens never reach a log line or an exception message.</summary>
public sealed class SecretRedactionTests
{
    private const string Token = "gAAAAABtoken-value-that-must-stay-hidden";

    private const string UrlPassword = "url-Pa55-in-auth_url";
    private const string KeystoneWithUserInfo = $"http://admin:{UrlPassword}@keystone.test:5000/v3";

    [Test]
    public void AuthUrlWithUserInfo_ToString_ShowsTheUserButNotThePassword()
    {
        var credentials = FakeCloud.PasswordCredentials with { AuthUrl = KeystoneWithUserInfo };

        Assert.That(credentials.ToString(), Does.Not.Contain(UrlPassword).And.Contain("http://admin:***@keystone.test:5000/v3"));
    }

    [Test]
    public void AuthUrlWithUserInfo_KeystoneUnreachable_ErrorAndLogsDoNotEchoThePassword()
    {
        using var http = new HttpTest();
        http.ForCallsTo($"{KeystoneWithUserInfo}/auth/tokens").SimulateException(new HttpRequestException($"connection refused ({KeystoneWithUserInfo})"));
        var logs = new ListLoggerFactory();
        using var cloud = FakeCloud.Connect(loggers: logs, credentials: FakeCloud.PasswordCredentials with { AuthUrl = KeystoneWithUserInfo }, retries: 1);

        var e = Assert.ThrowsAsync<OpenStackUnavailableException>(() => cloud.Session.GetTokenAsync());

        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Does.Contain("admin:***@keystone.test"));
            Assert.That(e.Message, Does.Not.Contain(UrlPassword));
            Assert.That(logs.Lines, Has.None.Contains(UrlPassword));
        });
    }

    [Test]
    public void AuthUrlWithUserInfo_KeystoneAnswersAnError_MessageDoesNotEchoThePassword()
    {
        using var http = new HttpTest();
        http.ForCallsTo($"{KeystoneWithUserInfo}/auth/tokens").RespondWith($"{{\"error\":{{\"code\":500,\"message\":\"cannot reach {KeystoneWithUserInfo}\"}}}}", 500);
        var logs = new ListLoggerFactory();
        using var cloud = FakeCloud.Connect(loggers: logs, credentials: FakeCloud.PasswordCredentials with { AuthUrl = KeystoneWithUserInfo }, retries: 1);

        var e = Assert.CatchAsync<Exception>(() => cloud.Session.GetTokenAsync());

        Assert.Multiple(() =>
        {
            Assert.That(e!.ToString(), Does.Not.Contain(UrlPassword));
            Assert.That(logs.Lines, Has.None.Contains(UrlPassword));
        });
    }

    [TestCase("http://u:p4ss@h/v3 and amqp://nova:pw2@b:5672/", "http://u:***@h/v3 and amqp://nova:***@b:5672/")]
    [TestCase("rabbit://u1:p1@h1:5672,u2:p2@h2:5672/vhost", "rabbit://u1:***@h1:5672,u2:***@h2:5672/vhost")]
    [TestCase("no url here", "no url here")]
    public void Scrub_MasksThePasswordOfEveryUrlInTheText(string text, string expected) =>
        Assert.That(new SecretRedactor().Scrub(text), Is.EqualTo(expected));

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
