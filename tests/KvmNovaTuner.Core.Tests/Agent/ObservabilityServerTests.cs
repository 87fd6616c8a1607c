using System.Net;
using System.Text.Json;
using KvmNovaTuner.Agent.Observability;
using Microsoft.Extensions.Logging.Abstractions;

namespace KvmNovaTuner.Core.Tests.Agent;

/// <summary>The /healthz and /metrics endpoint, scraped over HTTP on 127.0.0.1.</summary>
public sealed class ObservabilityServerTests
{
    private static (ObservabilityServer Server, HttpClient Client) Start(AgentMetrics metrics, params IHealthCheck[] checks)
    {
        var server = new ObservabilityServer(new IPEndPoint(IPAddress.Loopback, 0), metrics,
            new HealthReporter(checks, TimeSpan.FromMilliseconds(500)), NullLogger<ObservabilityServer>.Instance);
        server.Start();
        return (server, new HttpClient { BaseAddress = new Uri($"http://{server.Endpoint}/"), Timeout = TimeSpan.FromSeconds(10) });
    }

    private static IHealthCheck Check(string name, bool healthy) =>
        new DelegateHealthCheck(name, _ => Task.FromResult(healthy ? HealthCheckResult.Ok() : HealthCheckResult.Fail($"{name} down")));

    [Test]
    public async Task Healthz_AllChecksOk_Returns200WithEachCheck()
    {
        var (server, client) = Start(new AgentMetrics(), Check("broker", true), Check("libvirt", true));
        await using var _ = server;
        using var __ = client;

        var response = await client.GetAsync("healthz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
            Assert.That(body.RootElement.GetProperty("status").GetString(), Is.EqualTo("ok"));
            Assert.That(body.RootElement.GetProperty("checks").GetProperty("libvirt").GetProperty("status").GetString(), Is.EqualTo("ok"));
        });
    }

    [Test]
    public async Task Healthz_OneCheckFails_Returns503NamingIt()
    {
        var (server, client) = Start(new AgentMetrics(), Check("broker", true), Check("ovsdb", false));
        await using var _ = server;
        using var __ = client;

        var response = await client.GetAsync("healthz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(body.RootElement.GetProperty("status").GetString(), Is.EqualTo("unhealthy"));
            Assert.That(body.RootElement.GetProperty("checks").GetProperty("ovsdb").GetProperty("detail").GetString(), Is.EqualTo("ovsdb down"));
            Assert.That(body.RootElement.GetProperty("checks").GetProperty("broker").GetProperty("status").GetString(), Is.EqualTo("ok"));
        });
    }

    [Test]
    public async Task Healthz_HangingCheck_FailsWithinItsTimeout()
    {
        var hanging = new DelegateHealthCheck("api", async ct => { await Task.Delay(Timeout.Infinite, ct); return HealthCheckResult.Ok(); });
        var (server, client) = Start(new AgentMetrics(), hanging);
        await using var _ = server;
        using var __ = client;

        var response = await client.GetAsync("healthz");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("no answer within"));
    }

    [Test]
    public async Task Metrics_ExposesWhatThePipelineRecorded()
    {
        var metrics = new AgentMetrics();
        metrics.Events.WithLabels("instance.create.end", "applied").Inc(3);
        metrics.ApplySeconds.WithLabels("libvirt").Observe(0.02);
        metrics.OutboxDepth.Set(7);
        metrics.HugepagesFree.WithLabels("0", "2048").Set(128);
        metrics.DeadLettered.WithLabels("malformed").Inc();
        var (server, client) = Start(metrics);
        await using var _ = server;
        using var __ = client;

        var response = await client.GetAsync("metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(text, Does.Contain("kvm_nova_tuner_events_total{event_type=\"instance.create.end\",outcome=\"applied\"} 3"));
            Assert.That(text, Does.Contain("kvm_nova_tuner_apply_seconds_count{executor=\"libvirt\"} 1"));
            Assert.That(text, Does.Contain("kvm_nova_tuner_outbox_depth 7"));
            Assert.That(text, Does.Contain("kvm_nova_tuner_hugepages_free{node=\"0\",page_size_kb=\"2048\"} 128"));
            Assert.That(text, Does.Contain("kvm_nova_tuner_dead_lettered_total{reason=\"malformed\"} 1"));
            Assert.That(text, Does.Contain("# TYPE kvm_nova_tuner_plan_seconds histogram"));
        });
    }

    [Test]
    public async Task UnknownPath_Returns404()
    {
        var (server, client) = Start(new AgentMetrics());
        await using var _ = server;
        using var __ = client;

        var response = await client.GetAsync("admin");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public void TwoMetricSets_DoNotShareValues()
    {
        var a = new AgentMetrics();
        var b = new AgentMetrics();
        a.OutboxDepth.Set(5);
        Assert.That(b.OutboxDepth.Value, Is.Zero);
    }
}
