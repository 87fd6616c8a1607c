namespace KvmNovaTuner.Core.Plans;

/// <summary>
/// What one host must do for one instance event. Its JSON form is a public contract (docs/plan-format.md).
/// </summary>
public sealed record Plan(
    string? InstanceUuid,
    string? EventType,
    string? Host,
    IReadOnlyList<PlanAction> Actions,
    IReadOnlyList<Diagnostic> Diagnostics)
{
    public static Plan Empty(string? instanceUuid, string? eventType, string? host, params Diagnostic[] diagnostics) =>
        new(instanceUuid, eventType, host, [], diagnostics);

    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>
    /// Why a plan with an error diagnostic is refused whole (null when it has none): applying the valid half of an
    /// invalid flavor would tune the guest to a state nobody declared.
    /// </summary>
    public string? RefusalReason => HasErrors
        ? "refused: " + string.Join("; ", Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => $"{d.Key}: {d.Message}"))
        : null;
}

/// <summary>
/// One idempotent change (or verification) on one target. <see cref="Settings"/> are named and valued in the
/// receiving system's own names and units (libvirt typed-parameter names, OVSDB columns and other_config keys),
/// always as the exact text that system uses.
/// </summary>
public sealed record PlanAction(
    string Kind,
    string Target,
    IReadOnlyDictionary<string, string> Settings,
    ActionTiming When,
    string Reason);

/// <summary>When an action takes effect.</summary>
public enum ActionTiming
{
    /// <summary>On the running domain now (and persisted for the next start).</summary>
    Live,
    /// <summary>Only when the domain next cold-starts: written to the persistent definition.</summary>
    NextBoot,
    /// <summary>A host-wide setting (sysfs/procfs).</summary>
    Host,
}

/// <summary>How serious a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>A finding about the input: names the key (or a pseudo-key like <c>event</c>), and says the rule and the fix.</summary>
public sealed record Diagnostic(DiagnosticSeverity Severity, string Key, string Message);
