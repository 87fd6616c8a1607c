using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KvmNovaTuner.Integration.Tests.Agent;

namespace KvmNovaTuner.Integration.Tests.OpenStack;

/// <summary>
/// The built `wait` verb against a cloud that is not there (issue 14): it ends within --timeout whatever the cloud
/// does (measured wall time), and its exit code says why: 2 usage or configuration, 3 timed out (the cloud was slow,
/// silent or never final), 4 cloud unreachable (connections failed and nothing answered).
/// </summary>
public sealed class WaitProcessTests
{
    private const double TimeoutSeconds = 3;
    /// <summary>A `dotnet` process start and stop on a loaded 2-core machine.</summary>
    private static readonly TimeSpan StartAllowance = TimeSpan.FromSeconds(3);

    private static Dictionary<string, string> Cloud(string authUrl) => new()
    {
        ["OS_CLOUD"] = "",
        ["OS_AUTH_URL"] = authUrl,
        ["OS_USERNAME"] = "admin",
        ["OS_PASSWORD"] = "wait-test-Pa55",
        ["OS_PROJECT_NAME"] = "admin",
        ["OS_USER_DOMAIN_NAME"] = "Default",
        ["OS_PROJECT_DOMAIN_NAME"] = "Default",
    };

    private static async Task<(int Code, TimeSpan Elapsed, string Stdout, string Stderr)> WaitAsync(Dictionary<string, string> environment, params string[] extra)
    {
        var clock = Stopwatch.StartNew();
        using var p = TunerProcess.Start(["wait", "--server", "8f3c2e1a-0000-4000-8000-000000000001", .. extra], environment);
        var code = await p.WaitForExitAsync(TimeSpan.FromSeconds(60));
        TestContext.Progress.WriteLine($"wait {string.Join(' ', extra)}: exit {code} in {clock.ElapsedMilliseconds} ms");
        return (code, clock.Elapsed, p.Stdout, p.Stderr);
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Test]
    public async Task KeystoneOnAClosedLoopbackPort_ExitsUnreachableWithinTheTimeout()
    {
        var (code, elapsed, stdout, stderr) = await WaitAsync(Cloud($"http://127.0.0.1:{ClosedLoopbackPort()}/v3"),
            "--timeout", TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--interval", "0.5");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(4), stdout + stderr);
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(TimeoutSeconds) + StartAllowance));
            Assert.That(stdout, Does.Contain("cloud unreachable"));
            Assert.That(stdout + stderr, Does.Not.Contain("wait-test-Pa55"));
        });
    }

    [Test]
    public async Task KeystoneThatAcceptsButNeverAnswers_TimesOutWithinTheTimeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            while (true) accepted.Add(await silent.AcceptSocketAsync());
        });
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;

        var (code, elapsed, stdout, stderr) = await WaitAsync(Cloud($"http://user:url-Pa55@127.0.0.1:{port}/v3"), "--timeout", "3", "--json");
        silent.Stop();
        foreach (var s in accepted) s.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(3), "connected, no answer: a slow cloud, not an unreachable one; " + stdout + stderr);
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(TimeoutSeconds) + StartAllowance), "the HTTP call is bounded by the remaining time, not its own 60 s timeout");
            Assert.That(stdout, Does.Contain("\"timed_out\":true").And.Contain("\"unreachable\":null"));
            Assert.That(stdout + stderr, Does.Not.Contain("url-Pa55"));
        });
    }

    [TestCase("--timeout", "-1")]
    [TestCase("--interval", "0")]
    public async Task BadNumbers_ExitUsage(string option, string value)
    {
        var (code, _, _, stderr) = await WaitAsync(Cloud("http://127.0.0.1:1/v3"), option, value);

        Assert.That(code, Is.EqualTo(2), stderr);
    }

    [Test]
    public async Task NoCloudConfigured_ExitsUsage()
    {
        var (code, _, _, stderr) = await WaitAsync(new Dictionary<string, string> { ["OS_CLOUD"] = "", ["OS_AUTH_URL"] = "" }, "--timeout", "2");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.Contain("no cloud configured"));
        });
    }

    [Test]
    public async Task Help_ListsEveryExitCode()
    {
        var (code, _, stdout, _) = await WaitAsync([], "--help");

        Assert.Multiple(() =>
        {
            Assert.That(code, Is.Zero);
            Assert.That(stdout, Does.Contain("3 timed out").And.Contain("4 cloud unreachable").And.Contain("2 usage or configuration"));
        });
    }
}
