using System.CommandLine;
using System.Globalization;
using KvmNovaTuner.Agent.Configuration;
using KvmNovaTuner.Agent.Hooks;
using KvmNovaTuner.Cli.Commands.Product;

namespace KvmNovaTuner.Cli.Commands.Hooks;

/// <summary>
/// The `hook` verb, called by libvirt as <c>/etc/libvirt/hooks/qemu DOMAIN OPERATION SUB-OPERATION EXTRA</c> with the
/// domain XML on stdin. Never calls libvirt; hands <c>started</c>/<c>stopped</c> to the agent (or the spool) within
/// the budget; exits non-zero only when <c>prepare</c> refuses a <c>tuner:require=true</c> boot the host cannot honour.
/// Every other problem (broken configuration, unusable spool, any error) is reported on stderr, to syslog and as an
/// incident marker in the spool for the agent's next start, and exits 0: a hook must not stop a guest for it.
/// </summary>
public static class HookCommand
{
    public static Command Create()
    {
        var domain = new Argument<string>("domain") { Description = "Domain name (libvirt's first argument)" };
        var operation = new Argument<string>("operation") { Description = "prepare, start, started, stopped, release, migrate, restore, reconnect, attach" };
        var subOperation = new Argument<string>("sub-operation") { Description = "begin, end or -", DefaultValueFactory = _ => "-" };
        var extra = new Argument<string>("extra") { Description = "Extra argument or -", DefaultValueFactory = _ => "-" };
        var socket = new Option<string?>("--socket") { Description = "Agent hook socket (default [agent] hook_socket)", HelpName = "PATH" };
        var spool = new Option<string?>("--spool-dir") { Description = "Spool directory used when the agent is unreachable (default [agent] spool_dir)", HelpName = "DIR" };
        var budget = new Option<string>("--budget") { Description = "Hard time budget for handing the event over, e.g. 2s or 500ms", DefaultValueFactory = _ => "2s" };
        var hostRoot = new Option<string?>("--host-root") { Description = "Root under which /sys and /proc are read (default [host] root)", HelpName = "DIR" };
        var syslog = new Option<string?>("--syslog-socket") { Description = $"Syslog datagram socket problems are also reported to (default {HookOperatorLog.DefaultSyslogSocket}, when present)", HelpName = "PATH" };
        var arguments = new ConfigurationArguments();
        var command = new Command("hook", "The libvirt qemu hook: hand a domain start/stop to the agent without calling libvirt; check tuner:require on prepare")
        {
            domain, operation, subOperation, extra, socket, spool, budget, hostRoot, syslog,
        };
        arguments.AddTo(command);
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var log = new HookOperatorLog(r.GetValue(syslog) ?? HookOperatorLog.DefaultSyslogSocket);
            var call = new HookInvocation(r.GetValue(domain)!, r.GetValue(operation)!, r.GetValue(subOperation)!, r.GetValue(extra)!);
            var problems = new List<string>();
            var spoolDir = SettingCatalog.All.First(s => s.Section == "agent" && s.Key == "spool_dir").Default!;
            try
            {
                var settings = Settings(arguments, r, problems);
                spoolDir = r.GetValue(spool) ?? settings("agent", "spool_dir");
                var options = new HookRunnerOptions(
                    r.GetValue(socket) ?? settings("agent", "hook_socket"),
                    spoolDir,
                    ParseBudget(r.GetValue(budget)!, problems),
                    r.GetValue(hostRoot) ?? settings("host", "root"));
                using var stdin = new StreamReader(Console.OpenStandardInput());
                var xml = await stdin.ReadToEndAsync(ct);
                var result = await new HookRunner(options, TimeProvider.System).RunAsync(call, xml, ct);
                if (result.Message is not null)
                {
                    await Console.Error.WriteLineAsync(result.Message);
                }
                if (result.Delivery == HookDelivery.Lost)
                {
                    log.Report(result.Message!);
                }
                return result.ExitCode;
            }
            catch (Exception e)
            {
                // The boundary of a guest's start: whatever failed, libvirt must not refuse the boot for it.
                problems.Add($"{call.Operation} of {call.Domain} not handed over ({e.GetType().Name}: {e.Message}); the guest starts untouched");
                return ExitCodes.Success;
            }
            finally
            {
                foreach (var problem in problems)
                {
                    var line = $"kvm-nova-tuner hook: {problem}";
                    log.Report(line);
                    new HookSpool(spoolDir).TryWriteIncident(line, TimeProvider.System.GetUtcNow());
                }
            }
        });
        return command;
    }

    /// <summary>Exit code of a hook call whose command line did not parse: never block the guest for it.</summary>
    public static int ExitCodeForUsageError => ExitCodes.Success;

    /// <summary>Reads a setting from the layered configuration, falling back to the catalog default when it cannot be loaded.</summary>
    private static Func<string, string, string> Settings(ConfigurationArguments arguments, ParseResult r, List<string> problems)
    {
        Microsoft.Extensions.Configuration.IConfiguration? raw = null;
        try
        {
            raw = arguments.Load(r).Raw;
        }
        catch (UsageException e)
        {
            problems.Add($"configuration ignored, defaults used: {e.Message}");
        }
        return (section, key) => raw?[$"{section}:{key}"] is { Length: > 0 } v
            ? v.Trim()
            : SettingCatalog.All.First(s => s.Section == section && s.Key == key).Default!;
    }

    private static TimeSpan ParseBudget(string text, List<string> problems)
    {
        var t = text.Trim();
        if (t.EndsWith("ms", StringComparison.OrdinalIgnoreCase) && double.TryParse(t[..^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms > 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }
        if (DurationText.TryParse(t, out var span) && span > TimeSpan.Zero)
        {
            return span;
        }
        problems.Add($"--budget '{text}' is not a duration (e.g. 2s or 500ms): {HookRunnerOptions.DefaultBudget.TotalSeconds:0}s used");
        return HookRunnerOptions.DefaultBudget;
    }
}
