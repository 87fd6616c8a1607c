using System.Text;
using System.Text.Json;

namespace KvmNovaTuner.Cli.Commands.Host;

/// <summary>Renders the `host` subcommands' output: an aligned text table, or one JSON document.</summary>
internal static class HostTable
{
    public static string Render(string[] headers, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { headers };
        all.AddRange(rows);
        var widths = headers.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in all)
        {
            // the last column is free text and is not padded
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]));
            text.AppendLine(string.Join("  ", cells).TrimEnd());
        }
        return text.ToString();
    }

    public static async Task WriteAsync<T>(bool json, T document, Func<string> table)
    {
        await Console.Out.WriteAsync(json ? JsonSerializer.Serialize(document, HostOptions.Json) + Environment.NewLine : table());
    }
}
