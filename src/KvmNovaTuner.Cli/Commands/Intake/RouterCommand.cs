using System.CommandLine;
using KvmNovaTuner.Messaging.Rabbit;
using Microsoft.Extensions.Logging;
using static KvmNovaTuner.Cli.Commands.Intake.IntakeCommandOptions;

namespace KvmNovaTuner.Cli.Commands.Intake;

/// <summary>
/// The `router` verb: one of several competing consumers on a durable queue bound to Nova's exchange,
/// republishing each notification (confirmed) to the `kvm-nova-tuner` topic exchange under `host.&lt;host&gt;`.
/// Runs until SIGTERM/Ctrl-C.
/// </summary>
public static class RouterCommand
{
    public static Command Create()
    {
        var brokerUrl = BrokerUrl();
        var queue = Queue("kvm-nova-tuner.router");
        var prefetch = Prefetch();
        var concurrency = new Option<ushort>("--concurrency") { Description = "Deliveries republished at once (1 keeps Nova's order)", DefaultValueFactory = _ => 1 };
        var passive = Passive();
        var durable = Durable();
        var legacy = Legacy();
        var command = new Command("router", "Republish Nova notifications to per-host routing keys until stopped") { brokerUrl, queue, prefetch, concurrency, passive, durable, legacy };
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var options = Broker(r, ResolveBrokerUrl(r.GetValue(brokerUrl)), r.GetValue(queue) ?? "kvm-nova-tuner.router", prefetch, passive, durable, legacy)
                with { Concurrency = r.GetValue(concurrency) is > 0 and var c ? c : throw new UsageException("--concurrency must be at least 1"), ClientName = "kvm-nova-tuner-router" };
            using var logging = Logging();
            var logger = logging.CreateLogger("kvm-nova-tuner.router");
            var router = new NotificationRouter(options, logger);
            try
            {
                await router.RunAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // stopped before the broker was reachable
            }
            logger.LogInformation("router stopped: {Counts}", router.Counts);
            return ExitCodes.Success;
        });
        return command;
    }
}
