using KvmNovaTuner.Messaging.Pipeline;
using KvmNovaTuner.Messaging.Rabbit;

namespace KvmNovaTuner.Messaging.Replay;

/// <summary>
/// The file source: feeds every message of a JSON-lines (or single-message) file through the same
/// <see cref="IntakePipeline"/> as the RabbitMQ listener. Messages that cannot be decoded are journaled as
/// rejected with their line number (there is no dead-letter queue for a file).
/// </summary>
public static class ReplaySource
{
    public static async Task<ReplayReport> RunAsync(string path, IntakePipeline pipeline, CancellationToken cancellationToken = default)
    {
        var messages = await NotificationFile.ReadAsync(path, cancellationToken).ConfigureAwait(false);
        var results = new List<(int Line, IntakeResult Result)>(messages.Count);
        long handled = 0, ignored = 0, duplicates = 0, poison = 0;
        foreach (var message in messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await pipeline.ProcessAsync(message.Body, cancellationToken).ConfigureAwait(false);
            switch (result.Disposition)
            {
                case IntakeDisposition.Poison:
                    await pipeline.RecordPoisonAsync($"line {message.Line}: {result.Detail}", "rejected", cancellationToken).ConfigureAwait(false);
                    poison++;
                    break;
                case IntakeDisposition.Duplicate:
                    duplicates++;
                    break;
                case IntakeDisposition.Ignored:
                    ignored++;
                    break;
                default:
                    handled++;
                    break;
            }
            results.Add((message.Line, result));
        }
        return new ReplayReport(new IntakeCounts(handled, ignored, duplicates, poison), results);
    }
}

/// <summary>What a replay did: the counts and each message's result with its line.</summary>
public sealed record ReplayReport(IntakeCounts Counts, IReadOnlyList<(int Line, IntakeResult Result)> Results);
