using System.CommandLine;
using System.Net.Sockets;
using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Cli.Commands.Product;
using KvmNovaTuner.Messaging.Hosting;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Rabbit;
using Microsoft.Extensions.Hosting;
using static KvmNovaTuner.Cli.Commands.Intake.IntakeCommandOptions;

namespace KvmNovaTuner.Cli.Commands.Intake;

/// <summary>
/// The `agent` verb: the per-host daemon (Generic Host; SIGTERM stops it gracefully within [agent] shutdown_timeout).
/// It consumes Nova's notifications (or the router's host key) through decode → filter → dedupe → pipeline →
/// journal → ack. Broker, host, state dir and source come from the configuration ([rabbitmq], [DEFAULT] host,
/// [agent] state_dir); the intake options below override them. `--dry-run` records decisions only (no libvirt, OVSDB).
/// </summary>
public static class AgentCommand
{
    public static Command Create()
    {
        var command = new Command("agent", "Run the per-host agent until stopped (SIGTERM/SIGINT stop it gracefully)");
        var arguments = new ConfigurationArguments();
        arguments.AddTo(command);
        var brokerUrl = BrokerUrl();
        var host = HostName();
        var queue = Queue("kvm-nova-tuner.agent.<host>");
        var prefetch = Prefetch();
        var stateDir = new Option<string?>("--state-dir") { Description = "Where the dedupe store and journal live (default: [agent] state_dir)" };
        var source = new Option<string?>("--source") { Description = "nova: bind Nova's exchange; router: bind host.<host> on the router's exchange (default: [rabbitmq] use_router)" };
        source.AcceptOnlyFromAmong("nova", "router");
        var dryRun = new Option<bool>("--dry-run") { Description = "Consume and journal what would be done, without acting (no libvirt, OVSDB or host changes)" };
        foreach (var option in new Option[] { brokerUrl, host, queue, prefetch, stateDir, source, dryRun })
        {
            command.Options.Add(option);
        }
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            // The intake options are shorthands for settings: they join the --set overrides (and win over them).
            var overrides = new List<string>(r.GetValue(arguments.Overrides) ?? []);
            if (r.GetValue(brokerUrl) is { } url)
            {
                overrides.Add($"rabbitmq.url={ResolveBrokerUrl(url)}");
            }
            if (r.GetValue(host) is { Length: > 0 } h)
            {
                overrides.Add($"DEFAULT.host={h}");
            }
            if (r.GetValue(stateDir) is { } dir)
            {
                overrides.Add($"agent.state_dir={dir}");
            }
            if (r.GetValue(source) is { } s)
            {
                overrides.Add($"rabbitmq.use_router={(s == "router" ? "true" : "false")}");
            }
            TunerOptions options;
            try
            {
                options = TunerConfiguration.Load(r.GetValue(arguments.ConfigFile), overrides).Validate();
            }
            catch (ConfigurationException e)
            {
                throw new UsageException($"invalid configuration: {e.Message}");
            }
            catch (FormatException e)
            {
                throw new UsageException($"configuration file is not valid INI: {e.Message}");
            }
            var intake = IntakeOptions(r, options, queue, prefetch);
            using var app = AgentHostFactory.Build(options, services =>
            {
                if (!r.GetValue(dryRun))
                {
                    AgentPipelineRegistration.Register(services, options);
                    services.AddNotificationIntake(intake);
                }
                else
                {
                    services.AddNotificationIntake(intake, _ => new DecisionRecordingHandler());
                }
            });
            try
            {
                await app.RunAsync(ct);
            }
            catch (KvmNovaTuner.Libvirt.LibvirtException e)
            {
                throw new UsageException($"cannot connect to [libvirt] uri = '{options.Libvirt.Uri}': {e.Message}");
            }
            catch (SocketException e)
            {
                throw new UsageException($"cannot listen on [agent] health_listen = '{options.Agent.HealthListen}': {e.Message}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static IntakeHostingOptions IntakeOptions(ParseResult r, TunerOptions options, Option<string?> queue, Option<ushort> prefetch)
    {
        var hostName = options.Default.Host;
        var broker = new BrokerOptions
        {
            BrokerUri = options.RabbitMq.Url,
            Queue = r.GetValue(queue) ?? $"kvm-nova-tuner.agent.{hostName}",
            Prefetch = r.GetValue(prefetch) is > 0 and var p ? p : throw new UsageException("--prefetch must be at least 1"),
            NovaExchange = options.RabbitMq.Exchange,
            ClientName = $"kvm-nova-tuner-agent@{hostName}",
        };
        return new IntakeHostingOptions(broker, options.RabbitMq.UseRouter ? IntakeSource.Router : IntakeSource.Nova, hostName, options.Agent.StateDir);
    }
}
