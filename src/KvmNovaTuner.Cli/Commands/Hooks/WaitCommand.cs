using System.CommandLine;
using System.Text.Json;
using KvmNovaTuner.OpenStack;
using KvmNovaTuner.OpenStack.Auth;
using KvmNovaTuner.OpenStack.Http;
using KvmNovaTuner.OpenStack.Reporting;

namespace KvmNovaTuner.Cli.Commands.Hooks;

/// <summary>
/// `wait --server ID [--cloud NAME] [--timeout SECONDS] [--json]`: waits through the Nova API until the server's
/// <c>tuner:status</c> is final and prints it with <c>tuner:detail</c>, within --timeout whatever the cloud does.
/// Exit 0 applied; 1 final but not applied (partial, pending-restart, failed); 2 usage or configuration (no cloud,
/// bad credentials, unknown server); 3 timed out; 4 cloud unreachable.
/// </summary>
public static class WaitCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "The server (instance) id", Required = true };
        var cloud = new Option<string?>("--cloud") { Description = "Cloud name in clouds.yaml (default: OS_CLOUD, else the OS_* variables)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait in all, every call to the cloud included (exit 3 when the status is not final by then, 4 when the cloud never answered)", DefaultValueFactory = _ => 600 };
        var interval = new Option<double>("--interval") { Description = "Seconds between polls", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "One JSON object: server, status, detail, timed_out, unreachable, waited_seconds" };
        var command = new Command("wait",
            "Wait until a server's tuning status is final. Exit 0 applied; 1 final but not applied (partial, pending-restart, failed); "
            + "2 usage or configuration; 3 timed out; 4 cloud unreachable")
        { server, cloud, timeout, interval, json };
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var seconds = r.GetValue(timeout);
            if (seconds <= 0 || r.GetValue(interval) <= 0) throw new UsageException("--timeout and --interval must be positive numbers of seconds");
            var outcome = await RunAsync(r.GetValue(server)!, r.GetValue(cloud), TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(r.GetValue(interval)), ct);
            Console.WriteLine(r.GetValue(json) ? Json(outcome) : Text(outcome));
            return outcome switch
            {
                { TimedOut: true, Unreachable: not null } => ExitCodes.Unreachable,
                { TimedOut: true } => ExitCodes.TimedOut,
                { Status: TunerStatus.Applied } => ExitCodes.Success,
                _ => ExitCodes.Failure,
            };
        });
        return command;
    }

    private static async Task<WaitOutcome> RunAsync(string serverId, string? cloudName, TimeSpan timeout, TimeSpan interval, CancellationToken ct)
    {
        try
        {
            using var connection = OpenStackConnection.FromCloud(cloudName, retry: StatusWaiter.Retry);
            return await new StatusWaiter(connection.Nova, TimeProvider.System).WaitAsync(serverId, timeout, interval, ct);
        }
        catch (CloudConfigException e)
        {
            throw new UsageException(e.Message);
        }
        catch (OpenStackApiException e) when (e.StatusCode == 404)
        {
            throw new UsageException($"server {serverId} not found ({e.Message})");
        }
        catch (OpenStackApiException e)
        {
            // Refused credentials or a request the cloud will never accept: waiting longer cannot help.
            throw new UsageException(e.Message);
        }
    }

    private static string Text(WaitOutcome o) => o switch
    {
        { Unreachable: { } why } => $"cloud unreachable for {o.Waited.TotalSeconds:0.#} s: {why}",
        { TimedOut: true } => $"timed out after {o.Waited.TotalSeconds:0.#} s: server {o.ServerId} has tuner:status {o.RawStatus ?? "(not set)"}",
        _ => $"{o.RawStatus}: {o.Detail ?? "(no detail)"}",
    };

    private static string Json(WaitOutcome o) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["server"] = o.ServerId,
        ["status"] = o.RawStatus,
        ["detail"] = o.Detail,
        ["timed_out"] = o.TimedOut,
        ["unreachable"] = o.Unreachable,
        ["waited_seconds"] = Math.Round(o.Waited.TotalSeconds, 1),
    });
}
