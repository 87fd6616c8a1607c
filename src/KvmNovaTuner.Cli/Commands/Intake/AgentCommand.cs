using System.CommandLine;
using System.Net.Sockets;
using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Hosting;
using KvmNovaTuner.Cli.Commands.Product;
using Microsoft.Extensions.Hosting;

namespace KvmNovaTuner.Cli.Commands.Intake;

/// <summary>The `agent` verb: the per-host daemon (Generic Host; SIGTERM stops it gracefully within [agent] shutdown_timeout).</summary>
public static class AgentCommand
{
    public static Command Create()
    {
        var command = new Command("agent", "Run the per-host agent until stopped (SIGTERM/SIGINT stop it gracefully)");
        var arguments = new ConfigurationArguments();
        arguments.AddTo(command);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            TunerOptions options;
            try
            {
                options = arguments.Load(r).Validate();
            }
            catch (ConfigurationException e)
            {
                throw new UsageException($"invalid configuration: {e.Message}");
            }
            using var host = AgentHostFactory.Build(options, services => AgentPipelineRegistration.Register(services, options));
            try
            {
                await host.RunAsync(ct);
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
}
