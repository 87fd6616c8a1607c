using System.CommandLine;
using System.Text.Json;
using KvmNovaTuner.OpenStack.Snapshots;

namespace KvmNovaTuner.Cli.Commands.Snapshots;

/// <summary>
/// `recover --server ID [--snapshot IMAGE] [--json]`: rebuilds the server from its newest active snapshot (or the
/// one named) and follows it to the end. Prints the Masakari-style status and reason; exit 0 for finished,
/// 1 for failed or ignored, 2 for usage or cloud errors.
/// </summary>
public static class RecoverCommand
{
    public static Command Create()
    {
        var server = new Option<string>("--server") { Description = "The server (instance) id", Required = true };
        var snapshot = new Option<string?>("--snapshot") { Description = "Rebuild from this snapshot image instead of the newest active one" };
        var json = new Option<bool>("--json") { Description = "One JSON object: id, server_id, image_id, status, reason" };
        var command = new Command("recover", "Rebuild a server from its newest good snapshot")
        {
            server, snapshot, json, SnapshotsCommand.Cloud, SnapshotsCommand.StateDir,
        };
        command.SetAction((ParseResult r, CancellationToken ct) => SnapshotsCommand.WithWorkspaceAsync(r, async w =>
        {
            var record = await w.Recovery.RecoverAsync(r.GetValue(server)!, r.GetValue(snapshot), ct);
            Console.WriteLine(r.GetValue(json)
                ? JsonSerializer.Serialize(new { id = record.Id, server_id = record.ServerId, image_id = record.ImageId, status = record.StatusText, reason = record.Reason })
                : $"{record.StatusText}: {record.Reason}");
            return record.Status == RecoveryStatus.Finished ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }
}
