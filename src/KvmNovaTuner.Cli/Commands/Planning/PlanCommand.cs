using System.CommandLine;
using KvmNovaTuner.Core.Planning;

namespace KvmNovaTuner.Cli.Commands.Planning;

/// <summary>
/// The `plan --notification FILE --host NAME [--host-root DIR] [--housekeeping-cpus LIST] [--json]` verb: the plan
/// this host would make for the first event in FILE (docs/plan-format.md). Exit 0, or 1 when the plan carries an error diagnostic.
/// </summary>
public static class PlanCommand
{
    public static Command Create()
    {
        var notification = new Option<string>("--notification") { Description = "A notification file (an oslo envelope, a bare message, or JSON lines; the first message is planned)", Required = true };
        var host = new Option<string>("--host") { Description = "The compute host to plan as (events for other hosts plan nothing)", Required = true };
        var hostRoot = new Option<string?>("--host-root") { Description = "Read the host topology under DIR (DIR/sys, DIR/proc, DIR/etc/nova/nova.conf); default /" };
        var housekeeping = new Option<string?>("--housekeeping-cpus") { Description = "CPUs for emulator and IO threads (default: the CPUs outside Nova's cpu_dedicated_set)" };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON (instance_uuid, event_type, host, actions[], diagnostics[])" };
        var command = new Command("plan", "Print the plan this host would make for the first event in a notification file")
        {
            notification, host, hostRoot, housekeeping, json,
        };
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var hostName = r.GetValue(host)!;
            if (string.IsNullOrWhiteSpace(hostName))
            {
                throw new UsageException("--host must name the compute host");
            }
            var plan = await PlanInput.PlanAsync(r.GetValue(notification)!, hostName, r.GetValue(hostRoot), r.GetValue(housekeeping), null, ct);
            Console.Out.WriteLine(r.GetValue(json) ? PlanJson.Serialize(plan, indented: true) : PlanText.Format(plan));
            return plan.HasErrors ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
