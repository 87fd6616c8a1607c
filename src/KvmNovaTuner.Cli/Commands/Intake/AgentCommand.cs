using System.CommandLine;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Rabbit;
using Microsoft.Extensions.Logging;
using static KvmNovaTuner.Cli.Commands.Intake.IntakeCommandOptions;

namespace KvmNovaTuner.Cli.Commands.Intake;

/// <summary>
/// The `agent` verb: the per-host listener. Consumes Nova's notifications (or the router's host key) until
/// SIGTERM/Ctrl-C, through decode → filter → dedupe → handler → journal → ack. The handler is injectable
/// (<paramref name="handlerFactory"/>, given this host's name); the default records the decision only.
/// </summary>
// INTEGRATION NOTE (for the product/agent wiring): the product branch's Generic Host agent
// (AgentHostFactory + ConfigurationArguments --config/--set, SIGTERM handling, /healthz, watchdog) must host
// this listener as a hosted service with the full pipeline handler. Keep the options below (--broker-url,
// --host, --queue, --prefetch, --state-dir, --source, ...) as overrides: the intake integration tests start
// `kvm-nova-tuner agent` with them.
public static class AgentCommand
{
    public static Command Create(Func<string, IInstanceEventHandler>? handlerFactory = null)
    {
        var brokerUrl = BrokerUrl();
        var host = IntakeCommandOptions.HostName();
        var queue = Queue("kvm-nova-tuner.agent.<host>");
        var prefetch = Prefetch();
        var stateDir = StateDir();
        var source = new Option<string>("--source") { Description = "nova: bind Nova's exchange; router: bind host.<host> on the router's exchange", DefaultValueFactory = _ => "nova" };
        source.AcceptOnlyFromAmong("nova", "router");
        var passive = Passive();
        var durable = Durable();
        var legacy = Legacy();
        var command = new Command("agent", "Run the per-host agent: consume Nova notifications until stopped") { brokerUrl, host, queue, prefetch, stateDir, source, passive, durable, legacy };
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var hostName = ResolveHost(r.GetValue(host));
            var options = Broker(r, ResolveBrokerUrl(r.GetValue(brokerUrl)), r.GetValue(queue) ?? $"kvm-nova-tuner.agent.{hostName}", prefetch, passive, durable, legacy)
                with { ClientName = $"kvm-nova-tuner-agent@{hostName}" };
            using var logging = Logging();
            var logger = logging.CreateLogger("kvm-nova-tuner.agent");
            var handler = handlerFactory?.Invoke(hostName) ?? new DecisionRecordingHandler();
            await using var runtime = await OpenRuntimeAsync(r.GetValue(stateDir)!, hostName, handler, logger, ct);
            var listener = new NotificationListener(options, r.GetValue(source) == "router" ? IntakeSource.Router : IntakeSource.Nova, runtime.Pipeline, logger);
            try
            {
                await listener.RunAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // stopped before the broker was reachable
            }
            logger.LogInformation("agent stopped: {Counts}", listener.Counts);
            return ExitCodes.Success;
        });
        return command;
    }
}
