using System.Diagnostics;
using KvmNovaTuner.Integration.Tests.Agent;

namespace KvmNovaTuner.Integration.Tests.Hooks;

/// <summary>
/// The built `hook` verb on every path that is not a tuner:require refusal: broken configuration, unusable spool with
/// the agent down, a bad budget, a bad command line — exit 0 within its budget, and what went wrong said (issue 14).
/// </summary>
public sealed class HookNeverBlocksProcessTests
{
    /// <summary>A `dotnet` start on a loaded 2-core machine plus the 2 s budget.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("knt-hooknb-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private string Socket => Path.Combine(_dir, "no-agent.sock");

    private async Task<(int Code, TimeSpan Elapsed, string Stderr)> RunAsync(string operation, params string[] extra)
    {
        var clock = Stopwatch.StartNew();
        using var hook = TunerProcess.Start(["hook", "instance-00000009", operation, "begin", "-", "--socket", Socket, .. extra],
            stdin: DomainXml.Nova("hw:cpu_policy=dedicated"));
        var code = await hook.WaitForExitAsync(Limit + TimeSpan.FromSeconds(20));
        return (code, clock.Elapsed, hook.Stderr);
    }

    [Test]
    public async Task Started_BrokenConfigurationFile_ExitsZeroUsesDefaultsAndLeavesAnIncidentForTheAgent()
    {
        var config = Path.Combine(_dir, "broken.conf");
        await File.WriteAllTextAsync(config, "[agent\nspool_dir\n");
        var spool = Path.Combine(_dir, "spool");

        var (code, elapsed, stderr) = await RunAsync("started", "--config", config, "--spool-dir", spool);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, stderr);
            Assert.That(elapsed, Is.LessThan(Limit));
            Assert.That(stderr, Does.Not.Contain("Unhandled exception"));
            Assert.That(stderr, Does.Contain("configuration ignored, defaults used").And.Contain(config));
            Assert.That(Directory.GetFiles(spool, "*.json"), Has.Length.EqualTo(1), "the event is still spooled");
            Assert.That(Directory.GetFiles(spool, "incident-*.txt").Select(File.ReadAllText), Has.Some.Contains(config));
        });
    }

    [Test]
    public async Task Started_AgentDownAndSpoolUnusable_ExitsZeroAndSaysTheEventWasNotRecorded()
    {
        var spool = Path.Combine(_dir, "spool-is-a-file");
        await File.WriteAllTextAsync(spool, "");

        var (code, elapsed, stderr) = await RunAsync("started", "--spool-dir", spool);

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, stderr);
            Assert.That(elapsed, Is.LessThan(Limit));
            Assert.That(stderr, Does.Not.Contain("Unhandled exception"));
            Assert.That(stderr, Does.Contain($"spool {spool} unusable").And.Contain("not recorded"));
        });
    }

    [Test]
    public async Task Started_BadBudget_ExitsZeroWithTheDefaultBudget()
    {
        var (code, _, stderr) = await RunAsync("started", "--spool-dir", Path.Combine(_dir, "spool"), "--budget", "soon");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, stderr);
            Assert.That(stderr, Does.Contain("--budget 'soon' is not a duration"));
        });
    }

    [Test]
    public async Task Hook_CommandLineThatDoesNotParse_ExitsZero()
    {
        using var hook = TunerProcess.Start(["hook"], stdin: "");
        var code = await hook.WaitForExitAsync(Limit + TimeSpan.FromSeconds(20));

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero, hook.Stderr);
            Assert.That(hook.Stderr, Does.Contain("error:"));
        });
    }
}
