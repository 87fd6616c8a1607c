using System.Text;

namespace KvmNovaTuner.Integration.Tests.Intake;

/// <summary>Wire notifications for the tests, made from Nova's own <c>instance.create.end</c> sample with a fresh message id and a chosen host.</summary>
public static class Notifications
{
    private const string SampleId = "SAMPLE_ID";
    private static readonly Lazy<string> Template = new(LoadTemplate);

    public static byte[] CreateEnd(string messageId, string host = "compute") =>
        Encoding.UTF8.GetBytes(Template.Value.Replace(SampleId, messageId, StringComparison.Ordinal)
            .Replace("\\\"host\\\": \\\"compute\\\"", $"\\\"host\\\": \\\"{host}\\\"", StringComparison.Ordinal));

    public static List<byte[]> Many(int count, string host = "compute", string prefix = "") =>
        Enumerable.Range(0, count).Select(i => CreateEnd($"{prefix}{Guid.NewGuid()}", host)).ToList();

    private static string LoadTemplate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "data", "nova-notifications", "all.jsonl");
            if (File.Exists(path))
            {
                var line = File.ReadLines(path).First(l => l.Contains("\\\"event_type\\\": \\\"instance.create.end\\\"", StringComparison.Ordinal));
                var start = line.IndexOf("\\\"message_id\\\": \\\"", StringComparison.Ordinal) + "\\\"message_id\\\": \\\"".Length;
                var end = line.IndexOf("\\\"", start, StringComparison.Ordinal);
                return string.Concat(line.AsSpan(0, start), SampleId, line.AsSpan(end));
            }
        }
        throw new FileNotFoundException("tests/data/nova-notifications/all.jsonl not found");
    }
}
