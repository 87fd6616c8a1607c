using System.CommandLine;
using System.Text.Json;
using KvmNovaTuner.OpenStack;
using KvmNovaTuner.OpenStack.Auth;
using KvmNovaTuner.OpenStack.Http;
using KvmNovaTuner.OpenStack.Reporting;

namespace KvmNovaTuner.Cli.Commands.Hooks;

/// <summary>
/// `wait --server ID [--cloud NAME] [--timeout SECONDS] [--json]`: waits through the Nova API until the server's
/// <c>tuner:status</c> is final and prints it with <c>tuner:detail</c>. Exit 0 only for applied; 1 for partial,
/// pending-restart or failed; 2 on timeout or a usage/environment error.
/// </summary>
public static class WaitCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "The server (instance) id", Required = true };
        var cloud = new Option<string?>("--cloud") { Description = "Cloud name in clouds.yaml (default: OS_CLOUD, else the OS_* variables)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait before giving up (exit 2)", DefaultValueFactory = _ => 600 };
        var interval = new Option<double>("--interval") { Description = "Seconds between polls", DefaultValueFactory = _ => 2 };
        var json = new Option<bool>("--json") { Description = "One JSON object: server, status, detail, timed_out, waited_seconds" };
        var command = new Command("wait", "Wait until a server's tuning status is final (exit 0 only for applied)") { server, cloud, timeout, interval, json };
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var seconds = r.GetValue(timeout);
            if (seconds <= 0 || r.GetValue(interval) <= 0) throw new UsageException("--timeout and --interval must be positive numbers of seconds");
            var outcome = await RunAsync(r.GetValue(server)!, r.GetValue(cloud), TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(r.GetValue(interval)), ct);
            Console.WriteLine(r.GetValue(json) ? Json(outcome) : Text(outcome));
            return outcome switch
            {
                { TimedOut: true } => ExitCodes.Usage,
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
            using var connection = OpenStackConnection.FromCloud(cloudName);
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
        catch (Exception e) when (e is OpenStackApiException or OpenStackUnavailableException)
        {
            throw new UsageException(e.Message);
        }
    }

    private static string Text(WaitOutcome o) => o.TimedOut
        ? $"timed out after {o.Waited.TotalSeconds:0} s: server {o.ServerId} has tuner:status {o.RawStatus ?? "(not set)"}"
        : $"{o.RawStatus}: {o.Detail ?? "(no detail)"}";

    private static string Json(WaitOutcome o) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["server"] = o.ServerId,
        ["status"] = o.RawStatus,
        ["detail"] = o.Detail,
        ["timed_out"] = o.TimedOut,
        ["waited_seconds"] = Math.Round(o.Waited.TotalSeconds, 1),
    });
}
