using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Specs;

namespace KvmNovaTuner.Core.Tests.Specs;

/// <summary>Parses extra specs in tests and finds the diagnostics about one key.</summary>
internal static class SpecAssert
{
    public static SpecParseResult Parse(int vcpus, int memoryMb, params (string Key, string Value)[] specs) =>
        SpecParser.Parse(specs.ToDictionary(s => s.Key, s => s.Value), vcpus, memoryMb);

    public static SpecParseResult Parse(params (string Key, string Value)[] specs) => Parse(4, 4096, specs);

    public static IReadOnlyList<Diagnostic> About(this SpecParseResult result, string key, DiagnosticSeverity severity) =>
        result.Diagnostics.Where(d => d.Key == key && d.Severity == severity).ToList();

    public static void HasError(SpecParseResult result, string key, string containing)
    {
        var errors = result.About(key, DiagnosticSeverity.Error);
        Assert.That(errors.Select(e => e.Message), Has.Some.Contains(containing), $"diagnostics: {string.Join(" | ", result.Diagnostics)}");
        Assert.That(result.IsValid, Is.False);
    }

    public static void IsClean(SpecParseResult result) =>
        Assert.That(result.Diagnostics, Is.Empty, string.Join(" | ", result.Diagnostics));
}
