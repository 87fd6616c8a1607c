using Flurl.Http.Testing;
using KvmNovaTuner.OpenStack;
using KvmNovaTuner.OpenStack.Auth;
using KvmNovaTuner.OpenStack.Http;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Core.Tests.OpenStack;

/// <summary>Canned Keystone and Nova answers for HttpTest, and a connection wired to them.</summary>
internal static class FakeCloud
{
    public const string Keystone = "http://keystone.test:5000/v3";
    public const string Nova = "http://nova.test:8774/v2.1";
    public const string Glance = "http://glance.test:9292";
    public const string Password = "s3cret-Pa55word";
    public const string AppSecret = "app-cred-S3CRET-value";
    public static readonly DateTimeOffset Now = new(2026, 11, 26, 4, 0, 0, TimeSpan.Zero);

    public static CloudCredentials PasswordCredentials => new()
    {
        CloudName = "test", AuthUrl = Keystone, Username = "kvm-nova-tuner", Password = Password, ProjectName = "service", RegionName = "RegionOne",
    };

    public static OpenStackConnection Connect(TimeProvider? time = null, ILoggerFactory? loggers = null, CloudCredentials? credentials = null, int retries = 3) =>
        new(credentials ?? PasswordCredentials,
            new RetryOptions { MaxRetryAttempts = retries, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5), RequestTimeout = TimeSpan.FromSeconds(5) },
            time, loggers);

    /// <summary>Keystone issues token <paramref name="token"/> valid for <paramref name="lifetime"/> from <paramref name="issued"/>.</summary>
    public static HttpTest IssueToken(this HttpTest http, string token = "tok-1", DateTimeOffset? issued = null, TimeSpan? lifetime = null)
    {
        http.ForCallsTo($"{Keystone}/auth/tokens").WithVerb(HttpMethod.Post).RespondWithToken(token, issued ?? Now, lifetime ?? TimeSpan.FromHours(1));
        return http;
    }

    /// <summary>Queues one Keystone token answer on a filtered setup (answers are given in order).</summary>
    public static FilteredHttpTestSetup RespondWithToken(this FilteredHttpTestSetup setup, string token, DateTimeOffset issued, TimeSpan lifetime)
    {
        var at = issued;
        var body = new
        {
            token = new
            {
                issued_at = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
                expires_at = (at + lifetime).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ"),
                project = new { id = "p1" },
                user = new { id = "u1" },
                catalog = new object[]
                {
                    new { type = "compute", name = "nova", endpoints = new object[]
                    {
                        new { @interface = "public", region_id = "RegionOne", url = Nova },
                        new { @interface = "internal", region_id = "RegionOne", url = "http://nova.internal:8774/v2.1" },
                    } },
                    new { type = "image", name = "glance", endpoints = new object[] { new { @interface = "public", region_id = "RegionOne", url = Glance } } },
                },
            },
        };
        setup.RespondWithJson(body, 201, new Dictionary<string, string> { ["X-Subject-Token"] = token });
        return setup;
    }

    /// <summary>Nova's version document advertising <paramref name="max"/>.</summary>
    public static HttpTest NovaVersion(this HttpTest http, string max = "2.93")
    {
        http.ForCallsTo($"{Nova}/").WithVerb(HttpMethod.Get).RespondWithJson(new { version = new { id = "v2.1", version = max, min_version = "2.1" } });
        return http;
    }
}

/// <summary>Collects formatted log lines so tests can check what reached the log.</summary>
internal sealed class ListLoggerFactory : ILoggerFactory, ILogger
{
    public List<string> Lines { get; } = [];
    public ILogger CreateLogger(string categoryName) => this;
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Lines) Lines.Add($"{logLevel}: {formatter(state, exception)} {exception}");
    }
}
