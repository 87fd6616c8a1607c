using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace KvmNovaTuner.Integration.Tests.Agent;

/// <summary>
/// The agent executable as a service manager runs it: readiness and watchdog over NOTIFY_SOCKET, /healthz and
/// /metrics on loopback, and a graceful stop on SIGTERM within the configured shutdown timeout.
/// </summary>
public sealed partial class AgentProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("knt-agent-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private string[] AgentArgs(params string[] extra) =>
    [
        "agent",
        "--set", "agent.health_listen=127.0.0.1:0",
        "--set", $"agent.state_dir={_dir}/state",
        "--set", $"agent.spool_dir={_dir}/spool",
        "--set", $"agent.hook_socket={_dir}/agent.sock",
        "--set", "libvirt.uri=test:///default",
        // The host controllers write under [host] root: never the real /sys in a test.
        "--set", $"host.root={_dir}/root",
        "--set", $"ovs.ovsdb=unix:{_dir}/no-ovsdb.sock",
        "--set", "rabbitmq.url=amqp://guest:topsecret@127.0.0.1:1/",
        "--set", "agent.shutdown_timeout=5s",
        .. extra,
    ];

    [Test]
    public async Task Agent_UnderServiceManager_NotifiesReadyAndWatchdog_ServesHealth_AndStopsOnSigterm()
    {
        var notifyPath = Path.Combine(_dir, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        var env = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notifyPath, ["WATCHDOG_USEC"] = "1000000" };
        using var agent = TunerProcess.Start(AgentArgs(), env);

        var ready = await ReceiveAsync(notify, "READY=1", StartTimeout);
        var watchdog = await ReceiveAsync(notify, "WATCHDOG=1", TimeSpan.FromSeconds(10));
        var line = await agent.WaitForLineAsync("Serving /healthz and /metrics on http://", StartTimeout);
        var endpoint = EndpointPattern().Match(line).Groups[1].Value;
        using var http = new HttpClient { BaseAddress = new Uri($"http://{endpoint}/"), Timeout = TimeSpan.FromSeconds(15) };
        var health = await http.GetAsync("healthz");
        var healthBody = await health.Content.ReadAsStringAsync();
        var metrics = await http.GetStringAsync("metrics");

        var stopwatch = Stopwatch.StartNew();
        agent.Terminate();
        var exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(20));
        stopwatch.Stop();

        Assert.Multiple(() =>
        {
            Assert.That(ready, Does.Contain("READY=1"));
            Assert.That(watchdog, Does.Contain("WATCHDOG=1"));
            Assert.That(IPAddress.Parse(endpoint.Split(':')[0]), Is.EqualTo(IPAddress.Loopback));
            Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "the broker and OVSDB given are unreachable");
            Assert.That(healthBody, Does.Contain("\"broker\"").And.Contain("\"ovsdb\"").And.Contain("\"libvirt\":{\"status\":\"ok\""));
            Assert.That(metrics, Does.Contain("kvm_nova_tuner_reconciles_total"));
            Assert.That(exit, Is.Zero, agent.Stderr);
            Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
            Assert.That(agent.Stderr, Does.Contain("1003/AgentStopped"));
            Assert.That(agent.Stderr + agent.Stdout, Does.Not.Contain("topsecret"), "the broker password must never be logged");
        });
    }

    [Test]
    public async Task Agent_InvalidSetting_ExitsTwoNamingTheSetting()
    {
        using var agent = TunerProcess.Start(AgentArgs("--set", "agent.reconcile_interval=sometimes"));

        var exit = await agent.WaitForExitAsync(StartTimeout);

        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(2));
            Assert.That(agent.Stderr.Trim(), Does.StartWith("error: invalid configuration: [agent] reconcile_interval = 'sometimes'"));
            Assert.That(agent.Stderr, Does.Not.Contain("   at "), "no stack trace");
        });
    }

    [Test]
    public async Task Agent_HealthPortTaken_ExitsTwoNamingTheSetting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var agent = TunerProcess.Start(AgentArgs("--set", $"agent.health_listen=127.0.0.1:{port}"));

        var exit = await agent.WaitForExitAsync(StartTimeout);

        Assert.That(exit, Is.EqualTo(2), agent.Stderr);
        Assert.That(agent.Stderr, Does.Contain("[agent] health_listen"));
    }

    private static async Task<string> ReceiveAsync(Socket socket, string expected, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[4096];
        var seen = new StringBuilder();
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
                var message = Encoding.UTF8.GetString(buffer, 0, n);
                seen.AppendLine(message);
                if (message.Contains(expected, StringComparison.Ordinal)) return message;
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no '{expected}' on NOTIFY_SOCKET within {timeout}; got: {seen}");
        }
    }

    [GeneratedRegex(@"http://([0-9.]+:\d+)")]
    private static partial Regex EndpointPattern();
}
