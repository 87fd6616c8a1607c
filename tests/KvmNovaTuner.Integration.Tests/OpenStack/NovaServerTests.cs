using KvmNovaTuner.Cli.Commands.Hooks;
using KvmNovaTuner.OpenStack.Nova;
using KvmNovaTuner.OpenStack.Reporting;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Integration.Tests.OpenStack;

/// <summary>Against the real Nova API with conductor, scheduler, placement and a fake-driver compute (scripts/services/nova.sh).</summary>
public sealed class NovaServerTests
{
    [Test]
    public async Task Microversion_NegotiatedFromVersionDocument_AtLeastInlineExtraSpecs()
    {
        TestCloud.RequireNova();
        using var admin = TestCloud.Connect();
        Assert.That(await admin.Nova.MicroversionAsync(), Is.GreaterThanOrEqualTo(Microversion.FlavorExtraSpecsInline));
    }

    [Test]
    public async Task GetServer_BootedFromTunedFlavor_ShowsTheFlavorsExtraSpecs()
    {
        using var admin = TestCloud.Connect();
        var (serverId, _, _) = await BootedServer.GetAsync(admin);

        var server = await admin.Nova.GetServerAsync(serverId);

        Assert.That(server.Status, Is.EqualTo("ACTIVE"));
        Assert.That(server.FlavorExtraSpecs, Is.EquivalentTo(BootedServer.FlavorSpecs));
    }

    [Test]
    public async Task Reporter_OutcomesQueuedThenDrained_LatestStatusAndDetailOnTheRealServer()
    {
        using var admin = TestCloud.Connect();
        var (serverId, _, _) = await BootedServer.GetAsync(admin);
        using var agent = TestCloud.Connect("KNT_OS_APPCRED_CLOUD");
        var dir = Directory.CreateTempSubdirectory("knt-it-outbox");
        var reporter = new StatusReporter(new OutboxStore(Path.Combine(dir.FullName, "outbox.db")), new NovaMetadataWriter(agent.Nova), TimeProvider.System, NullLogger.Instance);

        reporter.Report(serverId, TunerStatus.PendingRestart, "iothreads at next boot");
        reporter.Report(serverId, TunerStatus.Applied, "3 actions applied: vcpupin, emulatorpin, iotune\n(live)");
        var delivered = await reporter.DrainOnceAsync();

        var metadata = await admin.Nova.GetMetadataAsync(serverId);
        Assert.That(delivered, Is.EqualTo(2), "one write per key: the older status was coalesced away");
        Assert.That(metadata[TunerMetadata.StatusKey], Is.EqualTo("applied"));
        Assert.That(metadata[TunerMetadata.DetailKey], Is.EqualTo("3 actions applied: vcpupin, emulatorpin, iotune (live)"));
    }

    [Test]
    public async Task Tags_AddedAndRemoved_OnTheRealServer()
    {
        using var admin = TestCloud.Connect();
        var (serverId, _, _) = await BootedServer.GetAsync(admin);

        await admin.Nova.AddTagAsync(serverId, "tuner-applied");
        Assert.That(await admin.Nova.ListTagsAsync(serverId), Does.Contain("tuner-applied"));
        await admin.Nova.RemoveTagAsync(serverId, "tuner-applied");
        Assert.That(await admin.Nova.ListTagsAsync(serverId), Does.Not.Contain("tuner-applied"));
    }

    [TestCase("applied", 0)]
    [TestCase("failed", 1)]
    [TestCase("pending-restart", 1)]
    public async Task Wait_FinalStatus_ExitCodeAndDetailPrinted(string status, int expectedExit)
    {
        using var admin = TestCloud.Connect();
        var (serverId, _, _) = await BootedServer.GetAsync(admin);
        await admin.Nova.SetMetadataItemAsync(serverId, TunerMetadata.StatusKey, status);
        await admin.Nova.SetMetadataItemAsync(serverId, TunerMetadata.DetailKey, $"detail for {status}");

        var (exit, output, _) = await TestCloud.RunCliAsync(WaitCommand.Create(), "wait", "--server", serverId, "--cloud", "admin", "--timeout", "30");

        Assert.That(exit, Is.EqualTo(expectedExit));
        Assert.That(output, Does.Contain($"detail for {status}"));
    }

    [Test]
    public async Task Wait_StatusNeverFinal_TimesOutWithExit3()
    {
        using var admin = TestCloud.Connect();
        var (serverId, _, _) = await BootedServer.GetAsync(admin);
        await admin.Nova.DeleteMetadataItemAsync(serverId, TunerMetadata.StatusKey);

        var started = DateTime.UtcNow;
        var (exit, output, _) = await TestCloud.RunCliAsync(WaitCommand.Create(), "wait", "--server", serverId, "--cloud", "admin", "--timeout", "3", "--interval", "1", "--json");

        Assert.That(exit, Is.EqualTo(3), "timed out: the cloud answered, the status was not final");
        Assert.That(output, Does.Contain("\"timed_out\":true").And.Contain("\"unreachable\":null"));
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(3 + 2)), "within --timeout");
    }

    [Test]
    public async Task Wait_UnknownServer_UsageErrorExit2()
    {
        // --timeout now bounds the first call too (issue 14): on a loaded host Keystone alone can take over 5 s, so the
        // budget is generous; the 404 ends the wait at once.
        TestCloud.RequireNova();
        var (exit, _, error) = await TestCloud.RunCliAsync(WaitCommand.Create(), "wait", "--server", Guid.NewGuid().ToString(), "--cloud", "admin", "--timeout", "60");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("not found"));
    }
}
