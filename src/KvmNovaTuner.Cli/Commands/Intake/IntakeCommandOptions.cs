using System.CommandLine;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Rabbit;
using Microsoft.Extensions.Logging;

namespace KvmNovaTuner.Cli.Commands.Intake;

/// <summary>The options the intake verbs share (broker, host, queue, state) and how they become runtime objects.</summary>
internal static class IntakeCommandOptions
{
    public const string BrokerUrlVariable = "KVM_NOVA_TUNER_BROKER_URL";

    public static Option<string?> BrokerUrl() => new("--broker-url") { Description = $"AMQP URL of Nova's broker (default: ${BrokerUrlVariable})" };
    public static Option<string?> HostName() => new("--host") { Description = "This compute host's name as Nova knows it (default: the machine's host name)" };
    public static Option<string?> Queue(string what) => new("--queue") { Description = $"The durable queue to consume (default: {what})" };
    public static Option<ushort> Prefetch() => new("--prefetch") { Description = "Unacknowledged deliveries the broker may send ahead", DefaultValueFactory = _ => 200 };
    public static Option<bool> Passive() => new("--nova-exchange-passive") { Description = "Declare Nova's exchange passively (it must exist) instead of with Nova's flags" };
    public static Option<bool> Durable() => new("--nova-exchange-durable") { Description = "Nova runs with amqp_durable_queues=true (its exchange is durable)" };
    public static Option<bool> Legacy() => new("--legacy") { Description = "Also bind the legacy (unversioned) notification keys" };

    public static string ResolveHost(string? host) => string.IsNullOrWhiteSpace(host) ? Environment.MachineName : host;

    public static Uri ResolveBrokerUrl(string? url)
    {
        var value = url ?? Environment.GetEnvironmentVariable(BrokerUrlVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new UsageException($"no broker: pass --broker-url or set {BrokerUrlVariable}");
        }
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
        {
            throw new UsageException("--broker-url must be an amqp:// or amqps:// URL");
        }
        return uri;
    }

    public static ILoggerFactory Logging(LogLevel level = LogLevel.Information) => LoggerFactory.Create(b => b
        .SetMinimumLevel(level)
        .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));

    public static async Task<IntakeRuntime> OpenRuntimeAsync(string stateDir, string host, IInstanceEventHandler handler, ILogger logger, CancellationToken ct)
    {
        try
        {
            return await IntakeRuntime.OpenAsync(stateDir, host, handler, TimeProvider.System, TimeSpan.FromDays(7), logger, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new UsageException($"cannot open the state in {stateDir}: {e.Message}");
        }
    }

    public static BrokerOptions Broker(ParseResult r, Uri url, string queue, Option<ushort> prefetch, Option<bool> passive, Option<bool> durable, Option<bool> legacy) => new()
    {
        BrokerUri = url,
        Queue = queue,
        Prefetch = r.GetValue(prefetch) is > 0 and var p ? p : throw new UsageException("--prefetch must be at least 1"),
        NovaExchangePassive = r.GetValue(passive),
        NovaExchangeDurable = r.GetValue(durable),
        BindLegacy = r.GetValue(legacy),
    };
}
