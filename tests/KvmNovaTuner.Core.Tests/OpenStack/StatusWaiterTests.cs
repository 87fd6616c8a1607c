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

        Assert.That((outcome.Status, outcome.RawStatus, outcome.TimedOut), Is.EqualTo(((TunerStatus?)null, "working", true)));
    }
}
