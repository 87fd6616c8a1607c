using System.Diagnostics;
using KvmNovaTuner.Integration.Tests.Support;
using KvmNovaTuner.Messaging.Rabbit;
using RabbitMQ.Client;

namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>The broker started by scripts/services/rabbitmq.sh: its URL, its fault verbs (kill9, start), and a confirmed publisher.</summary>
public sealed class TestBroker
{
    private readonly Dictionary<string, string> _environment = [];

    private TestBroker(Uri url, string script)
    {
        Url = url;
        Script = script;
    }

    public Uri Url { get; }
    public string Script { get; }

    public static TestBroker Require() => new(
        new Uri(ServiceEnvironment.Require("KNT_RABBITMQ_URL", "RabbitMQ")),
        ServiceEnvironment.Require("KNT_RABBITMQ_SCRIPT", "RabbitMQ"));

    /// <summary>
    /// A broker of the test's own (for destructive tests: kill -9, restarts), started with the same script on free
    /// ports in a temp run directory, so the shared broker Nova's services use is never touched. Stop it with <see cref="StopPrivateAsync"/>.
    /// </summary>
    public static async Task<TestBroker> StartPrivateAsync()
    {
        var shared = Require();
        var runDir = Directory.CreateTempSubdirectory("knt-private-broker-").FullName;
        var port = FreePort();
        var broker = new TestBroker(new Uri($"amqp://guest:guest@127.0.0.1:{port}/"), shared.Script);
        broker._environment["KNT_RUN_DIR"] = runDir;
        broker._environment["KNT_RABBITMQ_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        broker._environment["KNT_RABBITMQ_DIST_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        broker._environment["KNT_EPMD_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await broker.RunScriptAsync("start");
        return broker;
    }

    /// <summary>Stops a private broker (by its pid file, through the script) and removes its run directory.</summary>
    public async Task StopPrivateAsync()
    {
        if (!_environment.TryGetValue("KNT_RUN_DIR", out var runDir))
        {
            return;
        }
        await RunScriptAsync("stop");
        Directory.Delete(runDir, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Options for a test queue bound to a private notification exchange named after it: the Nova services of the
    /// same run publish their own notifications to "nova", and a test counting its messages must not see those.
    /// </summary>
    public BrokerOptions Options(string queue, ushort prefetch = 200) =>
        new() { BrokerUri = Url, Queue = queue, NovaExchange = "it-nova-" + queue, Prefetch = prefetch, NetworkRecoveryInterval = TimeSpan.FromSeconds(1) };

    /// <summary>Runs the service script's verb (kill9, start, restart) with this run's environment (a private broker's own).</summary>
    public async Task RunScriptAsync(string verb)
    {
        var info = new ProcessStartInfo("bash", [Script, verb]) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var (k, v) in _environment)
        {
            info.Environment[k] = v;
        }
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero, $"rabbitmq.sh {verb}: {await stderr}");
    }

    public async Task<IConnection> ConnectAsync() =>
        await new ConnectionFactory { Uri = Url, AutomaticRecoveryEnabled = false, ClientProvidedName = "knt-test" }.CreateConnectionAsync();

    /// <summary>Publishes every body persistent to an exchange and returns once the broker confirmed them all.</summary>
    public async Task PublishAsync(string exchange, string routingKey, IReadOnlyList<byte[]> bodies)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        foreach (var batch in bodies.Chunk(500))
        {
            await Task.WhenAll(batch.Select(b => channel.BasicPublishAsync(exchange, routingKey, mandatory: false, properties, b).AsTask()));
        }
    }

    /// <summary>Declares a test queue the way the intake does and binds it to Nova's exchange (so messages can be queued before a consumer starts).</summary>
    public async Task DeclareNovaQueueAsync(BrokerOptions options)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await BrokerTopology.DeclareQueuesAsync(channel, options, CancellationToken.None);
        await BrokerTopology.BindToNovaAsync(channel, options, CancellationToken.None);
    }

    public async Task<uint> MessageCountAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return await channel.MessageCountAsync(queue);
    }

    public async Task DeleteQueuesAsync(params string[] queues)
    {
        try
        {
            await using var connection = await ConnectAsync();
            foreach (var q in queues)
            {
                await using var channel = await connection.CreateChannelAsync();
                await channel.QueueDeleteAsync(q, ifUnused: false, ifEmpty: false);
            }
        }
        catch (RabbitMQ.Client.Exceptions.BrokerUnreachableException)
        {
            // the broker is gone: nothing to clean
        }
    }
}
