using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Topology;

namespace KvmNovaTuner.Core.Planning;

/// <summary>
/// Collects a plan's actions and diagnostics. An action is kept only when the observed settings are unknown or differ
/// from the planned ones, which is what makes planning against a described state yield nothing.
/// </summary>
internal sealed class PlanBuilder
{
    private readonly List<PlanAction> _actions = [];
    private readonly List<Diagnostic> _diagnostics = [];

    public IReadOnlyList<PlanAction> Actions => _actions;

    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>Adds the action unless <paramref name="observed"/> already holds every planned setting.</summary>
    public void Add(string kind, string target, IReadOnlyDictionary<string, string> settings, ActionTiming when, string reason, IReadOnlyDictionary<string, string>? observed)
    {
        if (settings.Count == 0 || (observed is not null && Matches(settings, observed)))
        {
            return;
        }
        _actions.Add(new PlanAction(kind, target, settings, when, reason));
    }

    /// <summary>Adds an action that carries no settings (a release), which no observed state can already hold.</summary>
    public void AddAlways(string kind, string target, ActionTiming when, string reason) =>
        _actions.Add(new PlanAction(kind, target, new Dictionary<string, string>(), when, reason));

    public void Diagnose(DiagnosticSeverity severity, string key, string message) => _diagnostics.Add(new Diagnostic(severity, key, message));

    public void AddDiagnostics(IEnumerable<Diagnostic> diagnostics) => _diagnostics.AddRange(diagnostics);

    /// <summary>An observed-settings dictionary of one value (empty when the value is unknown, so the action is kept).</summary>
    public static Dictionary<string, string> Observed(string name, string? value) =>
        value is null ? [] : new Dictionary<string, string> { [name] = value };

    public static bool Matches(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string> observed) =>
        settings.All(s => observed.TryGetValue(s.Key, out var value) && SameValue(s.Key, s.Value, value));

    private static bool SameValue(string name, string planned, string observed) =>
        name == "cpuset" ? CpuList.SameSet(planned, observed) : string.Equals(planned, observed, StringComparison.Ordinal);
}
