using System.CommandLine;
using System.Text.Json;
using KvmNovaTuner.Core.Pipeline;
using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Replay;
using Microsoft.Extensions.Logging;
using static KvmNovaTuner.Cli.Commands.Intake.IntakeCommandOptions;

namespace KvmNovaTuner.Cli.Commands.Intake;

/// <summary>
/// The `replay FILE` verb: feeds a JSON-lines file of notifications through the same pipeline as the agent and
/// prints, per message, what the intake did and why. Exit 1 when a message could not be decoded.
/// </summary>
public static class ReplayCommand
{
    public static Command Create(Func<string, IInstanceEventHandler>? handlerFactory = null)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "JSON lines of oslo envelopes (or one message)" };
        var host = IntakeCommandOptions.HostName();
        var stateDir = new Option<string?>("--state-dir") { Description = "Keep the dedupe store and journal here (default: a fresh temporary directory)" };
        var json = new Option<bool>("--json") { Description = "One JSON object per message: line, disposition, event_type, message_id, instance_uuid, host, detail" };
        var command = new Command("replay", "Feed a JSON-lines file of notifications through the intake pipeline") { file, host, stateDir, json };
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var path = r.GetValue(file)!;
            if (!path.Exists)
            {
                throw new UsageException($"cannot read {path.FullName}: no such file");
            }
            var hostName = ResolveHost(r.GetValue(host));
            var dir = r.GetValue(stateDir) ?? Directory.CreateTempSubdirectory("kvm-nova-tuner-replay-").FullName;
            using var logging = Logging(LogLevel.Warning);
            var logger = logging.CreateLogger("kvm-nova-tuner.replay");
            ReplayReport report;
            await using (var runtime = await OpenRuntimeAsync(dir, hostName, handlerFactory?.Invoke(hostName) ?? new DecisionRecordingHandler(), logger, ct))
            {
                report = await ReplaySource.RunAsync(path.FullName, runtime.Pipeline, ct);
            }
            foreach (var (line, result) in report.Results)
            {
                Console.Out.WriteLine(r.GetValue(json) ? ToJson(line, result) : $"{line,4} {Name(result.Disposition),-9} {result.Detail}");
            }
            var c = report.Counts;
            if (!r.GetValue(json))
            {
                Console.Out.WriteLine($"{c.Total} messages for host {hostName}: {c.Handled} handled, {c.Ignored} ignored, {c.Duplicates} duplicates, {c.Poison} rejected; journal in {Path.Combine(dir, IntakeRuntime.DatabaseFile)}");
            }
            return c.Poison > 0 ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    private static string Name(IntakeDisposition d) => d switch
    {
        IntakeDisposition.Handled => "handled",
        IntakeDisposition.Ignored => "ignored",
        IntakeDisposition.Duplicate => "duplicate",
        _ => "rejected",
    };

    private static string ToJson(int line, IntakeResult result) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["line"] = line,
        ["disposition"] = Name(result.Disposition),
        ["event_type"] = result.Event?.EventType,
        ["message_id"] = result.Event?.MessageId,
        ["instance_uuid"] = result.Event?.InstanceUuid,
        ["host"] = result.Event?.Host,
        ["detail"] = result.Detail,
    });
}
