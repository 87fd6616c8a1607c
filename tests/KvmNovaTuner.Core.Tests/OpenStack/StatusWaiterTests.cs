using Flurl.Http.Testing;
using KvmNovaTuner.OpenStack.Reporting;

namespace KvmNovaTuner.Core.Tests.OpenStack;

public sealed class StatusWaiterTests
{
    private const string Metadata = $"{FakeCloud.Nova}/servers/s1/metadata";

    [Test]
    public async Task Wait_StatusAppearsAfterSomePolls_ReturnsItWithDetail()
    {
        using var http = new HttpTest();
        http.IssueToken().NovaVersion();
        http.ForCallsTo(Metadata)
            .RespondWithJson(new { metadata = new { } })
            .RespondWithJson(new Dictionary<string, object> { ["metadata"] = new Dictionary<string, string> { ["tuner:status"] = "working" } })
            .RespondWithJson(new Dictionary<string, object> { ["metadata"] = new Dictionary<string, string> { ["tuner:status"] = "partial", ["tuner:detail"] = "1 of 2" } });
        using var cloud = FakeCloud.Connect();

        var outcome = await new StatusWaiter(cloud.Nova, TimeProvider.System).WaitAsync("s1", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(5));

        Assert.That((outcome.Status, outcome.Detail, outcome.TimedOut), Is.EqualTo((TunerStatus.Partial, "1 of 2", false)));
        http.ShouldHaveCalled(Metadata).Times(3);
    }

    [Test]
    public async Task Wait_StatusNeverFinal_TimesOutReportingTheLastValue()
    {
        using var http = new HttpTest();
        http.IssueToken().NovaVersion();
        http.ForCallsTo(Metadata).RespondWithJson(new Dictionary<string, object> { ["metadata"] = new Dictionary<string, string> { ["tuner:status"] = "working" } });
        using var cloud = FakeCloud.Connect();

        var outcome = await new StatusWaiter(cloud.Nova, TimeProvider.System).WaitAsync("s1", TimeSpan.FromMilliseconds(60), TimeSpan.FromMilliseconds(10));

        Assert.That((outcome.Status, outcome.RawStatus, outcome.TimedOut, outcome.Unreachable), Is.EqualTo(((TunerStatus?)null, "working", true, (string?)null)));
    }

    [Test]
    public async Task Wait_KeystoneRefusesConnections_IsUnreachableWithTheReasonWithinTheTimeout()
    {
        using var http = new HttpTest();
        http.ForCallsTo($"{FakeCloud.Keystone}/auth/tokens").SimulateException(new HttpRequestException("Connection refused"));
        using var cloud = new KvmNovaTuner.OpenStack.OpenStackConnection(FakeCloud.PasswordCredentials, StatusWaiter.Retry);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await new StatusWaiter(cloud.Nova, TimeProvider.System).WaitAsync("s1", TimeSpan.FromMilliseconds(1500), TimeSpan.FromMilliseconds(50));

        Assert.Multiple(() =>
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(1500 + 700)));
            Assert.That(outcome.TimedOut, Is.True);
            Assert.That(outcome.Unreachable, Does.Contain("Connection refused"));
        });
    }

    [Test]
    public async Task Wait_SessionRetriesLongerThanTheTimeout_AreCutOffByTheDeadline()
    {
        using var http = new HttpTest();
        http.ForCallsTo($"{FakeCloud.Keystone}/auth/tokens").SimulateException(new HttpRequestException("Connection refused"));
        // The session's default retries (5, backoff up to 20 s) would outlast the timeout: the deadline bounds them.
        using var cloud = new KvmNovaTuner.OpenStack.OpenStackConnection(FakeCloud.PasswordCredentials, new KvmNovaTuner.OpenStack.Http.RetryOptions());
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var outcome = await new StatusWaiter(cloud.Nova, TimeProvider.System).WaitAsync("s1", TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(50));

        Assert.Multiple(() =>
        {
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromMilliseconds(800 + 700)));
            Assert.That(outcome.TimedOut, Is.True);
        });
    }

    [Test]
    public async Task Wait_NovaAnswersServerErrorsThenApplied_IsAppliedNotUnreachable()
    {
        using var http = new HttpTest();
        http.IssueToken().NovaVersion();
        http.ForCallsTo(Metadata).RespondWith("{}", 503).RespondWith("{}", 503).RespondWith("{}", 503).RespondWith("{}", 503)
            .RespondWithJson(new Dictionary<string, object> { ["metadata"] = new Dictionary<string, string> { ["tuner:status"] = "applied" } });
        using var cloud = FakeCloud.Connect(retries: 1);

        var outcome = await new StatusWaiter(cloud.Nova, TimeProvider.System).WaitAsync("s1", TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(5));

        Assert.That((outcome.Status, outcome.TimedOut, outcome.Unreachable), Is.EqualTo(((TunerStatus?)TunerStatus.Applied, false, (string?)null)));
    }

    [Test]
    public async Task Wait_OnAFakeClock_PollsEveryIntervalAndStopsAtTheTimeout()
    {
        using var http = new HttpTest();
        http.IssueToken().NovaVersion();
        http.ForCallsTo(Metadata).RespondWithJson(new Dictionary<string, object> { ["metadata"] = new Dictionary<string, string> { ["tuner:status"] = "working" } });
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(FakeCloud.Now);
        using var cloud = FakeCloud.Connect(time: time);

        var waiting = new StatusWaiter(cloud.Nova, time).WaitAsync("s1", TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2));
        for (var i = 0; i < 200 && !waiting.IsCompleted; i++)
        {
            await Task.Delay(5);
            time.Advance(TimeSpan.FromMilliseconds(500));
        }
        var outcome = await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Multiple(() =>
        {
            Assert.That(outcome.TimedOut, Is.True);
            Assert.That(outcome.Waited, Is.EqualTo(TimeSpan.FromSeconds(10)).Within(TimeSpan.FromSeconds(1)));
            Assert.That(http.CallLog.Count(c => c.Request.Url.ToString() == Metadata), Is.InRange(5, 6), "one poll at start and one every 2 s");
        });
    }
}
