using System.Text.RegularExpressions;

namespace KvmNovaTuner.Core.Tests.Packaging;

/// <summary>Static views of Helm template text: the .Values paths it uses, and YAML with directives stripped.</summary>
internal static partial class HelmTemplateText
{
    /// <summary>Every <c>.Values.a.b</c> path the text uses, as <c>a.b</c>.</summary>
    public static IEnumerable<string> ValuePaths(string template) =>
        ValuesReference().Matches(template).Select(m => m.Groups[1].Value.TrimStart('.'));

    /// <summary>
    /// The template with lines that hold only directives removed and inline directives replaced by a
    /// placeholder (or by the value they name, when <paramref name="values"/> resolves it).
    /// </summary>
    public static string Strip(string template, Func<string, string?>? values = null)
    {
        var lines = new List<string>();
        foreach (var line in template.Split('\n'))
        {
            if (Directive().Replace(line, "").Trim().Length == 0 && Directive().IsMatch(line))
            {
                continue;
            }
            lines.Add(Directive().Replace(line, m => Resolve(m.Value, values)));
        }
        return string.Join('\n', lines);
    }

    private static string Resolve(string directive, Func<string, string?>? values)
    {
        var simple = SimpleValue().Match(directive);
        return simple.Success && values?.Invoke(simple.Groups[1].Value) is { } v ? v : "placeholder";
    }

    [GeneratedRegex(@"\.Values((?:\.[A-Za-z0-9_]+)+)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"\{\{-?.*?-?\}\}")]
    private static partial Regex Directive();

    [GeneratedRegex(@"^\{\{-?\s*\.Values\.([A-Za-z0-9_.]+)\s*-?\}\}$")]
    private static partial Regex SimpleValue();
}
