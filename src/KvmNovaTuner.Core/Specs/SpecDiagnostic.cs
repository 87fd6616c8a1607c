using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Core.Specs;

/// <summary>Builds diagnostics in one shape: <c>'VALUE' RULE; fix: FIX</c>, keyed by the extra spec key.</summary>
public static class SpecDiagnostic
{
    public static Diagnostic Create(DiagnosticSeverity severity, string key, string? value, string rule, string? fix)
    {
        var subject = value is null ? rule : $"'{value}' {rule}";
        var message = fix is null ? subject : $"{subject}; fix: {fix}";
        return new Diagnostic(severity, key, message);
    }
}
