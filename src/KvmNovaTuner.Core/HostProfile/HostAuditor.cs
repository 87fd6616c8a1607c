namespace KvmNovaTuner.Core.HostProfile;

/// <summary>
/// The host audit: pure rules over observed <see cref="HostFacts"/> and the <see cref="FlavorDemand"/> of the flavors
/// the host serves. Each rule yields findings; an error means the host cannot keep a flavor's promise.
/// </summary>
public static partial class HostAuditor
{
    /// <summary>All findings, in a stable order (virtualisation, memory, platform).</summary>
    public static IReadOnlyList<AuditFinding> Audit(HostFacts facts, FlavorDemand demand)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(demand);
        var findings = new List<AuditFinding>
        {
            HardwareVirtualisation(facts),
            SecondLevelPaging(facts),
            ThpEnabled(facts, demand),
            ThpDefrag(facts, demand),
            Ksm(facts, demand),
        };
        findings.AddRange(HugepagePools(facts, demand));
        findings.Add(NumaLayout(facts, demand));
        findings.Add(NumaBalancing(facts, demand));
        findings.Add(VhostNet(facts, demand));
        findings.AddRange(IoSchedulers(facts, demand));
        return findings;
    }

    /// <summary>True when any finding is an error (the audit's exit code 1).</summary>
    public static bool HasErrors(IEnumerable<AuditFinding> findings) => findings.Any(f => f.Severity == FindingSeverity.Error);

    private static bool? Fits(FlavorDemand demand, bool relevant, bool fits) => demand.Known && relevant ? fits : null;

    private static bool IsOn(string? value) => value is "Y" or "y" or "1";
}
