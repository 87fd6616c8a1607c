using System.CommandLine;
using System.Net.Sockets;
using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Cli.Commands.Product;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static KvmNovaTuner.Cli.Commands.Intake.IntakeCommandOptions;

namespace KvmNovaTuner.Cli.Commands.Intake;

/// <summary>The `agent` verb: the per-host daemon (Generic Host; SIGTERM stops it gracefully within [agent] shutdown_timeout).</summary>
public static class AgentCommand
{
    public static Command Create()
    {
        var command = new Command("agent", "Run the per-host agent until stopped (SIGTERM/SIGINT stop it gracefully)");
        var arguments = new ConfigurationArguments();
        arguments.AddTo(command);
        // Intake shortcuts: each wins over the configuration file ([rabbitmq], [DEFAULT] host, [agent] state_dir).
        var brokerUrl = BrokerUrl();
        var hostName = IntakeCommandOptions.HostName();
        var queue = Queue("kvm-nova-tuner.<host>");
        var prefetch = Prefetch();
        var stateDir = new Option<string?>("--state-dir") { Description = "Where the journal, dedupe store and outbox live (overrides [agent] state_dir)" };
        var source = new Option<string?>("--source") { Description = "nova: bind Nova's exchange; router: bind host.<host> on the router's exchange" };
        source.AcceptOnlyFromAmong("nova", "router");
        var passive = Passive();
        var durable = Durable();
        var legacy = Legacy();
        foreach (var option in new Option[] { brokerUrl, hostName, queue, prefetch, stateDir, source, passive, durable, legacy })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            TunerOptions options;
            try
            {
                var shortcuts = new List<string>();
                if (r.GetValue(brokerUrl) is { } url) shortcuts.Add($"rabbitmq.url={url}");
                if (r.GetValue(hostName) is { } h) shortcuts.Add($"DEFAULT.host={h}");
                if (r.GetValue(stateDir) is { } dir) shortcuts.Add($"agent.state_dir={dir}");
                if (r.GetValue(source) is { } src) shortcuts.Add($"rabbitmq.use_router={(src == "router" ? "true" : "false")}");
                options = arguments.Load(r, shortcuts).Validate();
                UsableDirectory.Require("[agent] state_dir", options.Agent.StateDir);
                UsableDirectory.Require("[agent] spool_dir", options.Agent.SpoolDir);
            }
            catch (ConfigurationException e)
            {
                throw new UsageException($"invalid configuration: {e.Message}");
            }
            var defaults = IntakeHostedService.BrokerOptionsFor(options);
            var broker = defaults with
            {
                Queue = r.GetValue(queue) ?? defaults.Queue,
                Prefetch = r.GetValue(prefetch) is > 0 and var p ? p : throw new UsageException("--prefetch must be at least 1"),
                NovaExchangePassive = r.GetValue(passive),
                NovaExchangeDurable = r.GetValue(durable),
                BindLegacy = r.GetValue(legacy),
            };
            using var host = AgentHostFactory.Build(options, services =>
            {
                AgentPipelineRegistration.Register(services, options);
                services.AddSingleton(broker);
            });
            try
            {
                await host.RunAsync(ct);
            }
            catch (SocketException e)
            {
                throw new UsageException($"cannot listen on [agent] health_listen = '{options.Agent.HealthListen}': {e.Message}");
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
