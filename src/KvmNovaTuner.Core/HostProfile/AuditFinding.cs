namespace KvmNovaTuner.Core.HostProfile;

/// <summary>How serious an audit finding is. JSON: ok, info, warning, error.</summary>
public enum FindingSeverity
{
    Ok,
    Info,
    Warning,
    Error,
}

/// <summary>
/// One audit finding: the item (<c>virt.hardware</c>, <c>thp.enabled</c>, <c>hugepages.node0.2048kB</c>, ...), what was
/// seen, how serious it is, whether it fits the flavors this host serves (null when no flavors were given or the item
/// does not depend on them) and what to do.
/// </summary>
public sealed record AuditFinding(string Item, FindingSeverity Severity, string Value, bool? FitsFlavors, string Message);
