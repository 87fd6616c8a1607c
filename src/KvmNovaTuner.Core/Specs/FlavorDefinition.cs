using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Core.Specs;

/// <summary>One flavor of the catalog (<c>flavors/*.yaml</c>): what Nova needs to create it plus the tenant-facing description.</summary>
public sealed record FlavorDefinition(
    string? Name,
    int? Vcpus,
    int? RamMb,
    int? DiskGb,
    string? Description,
    IReadOnlyDictionary<string, string> ExtraSpecs);

/// <summary>One problem with one flavor: the key (or field) and what is wrong with it.</summary>
public sealed record FlavorProblem(string Flavor, string Key, DiagnosticSeverity Severity, string Message);

/// <summary>Validates catalog flavors: the fields Nova requires, the description tenants see, and every extra spec.</summary>
public static class FlavorValidator
{
    /// <summary>Nova's limit on a flavor description (API 2.55+).</summary>
    public const int MaxDescriptionLength = 65535;

    public static IReadOnlyList<FlavorProblem> Validate(FlavorDefinition flavor)
    {
        var name = string.IsNullOrWhiteSpace(flavor.Name) ? "(unnamed)" : flavor.Name;
        var problems = new List<FlavorProblem>();
        void Error(string key, string message) => problems.Add(new FlavorProblem(name, key, DiagnosticSeverity.Error, message));

        if (string.IsNullOrWhiteSpace(flavor.Name))
        {
            Error("name", "is missing; fix: give the flavor a name");
        }
        else if (flavor.Name.Length > 255)
        {
            Error("name", "is longer than Nova's 255 characters");
        }
        if (flavor.Vcpus is not > 0)
        {
            Error("vcpus", "must be a whole number of at least 1");
        }
        if (flavor.RamMb is not > 0)
        {
            Error("ram", "must be a whole number of MB of at least 1");
        }
        if (flavor.DiskGb is not >= 0)
        {
            Error("disk", "must be a whole number of GB of at least 0");
        }
        if (string.IsNullOrWhiteSpace(flavor.Description))
        {
            Error("description", "is missing; fix: say in plain words what the flavor guarantees (tenants see it in Horizon)");
        }
        else if (flavor.Description.Length > MaxDescriptionLength)
        {
            Error("description", $"is longer than Nova's {MaxDescriptionLength} characters");
        }
        var parsed = SpecParser.Parse(flavor.ExtraSpecs, flavor.Vcpus, flavor.RamMb);
        problems.AddRange(parsed.Diagnostics
            .Where(d => d.Severity != DiagnosticSeverity.Info)
            .Select(d => new FlavorProblem(name, d.Key, d.Severity, d.Message)));
        return problems;
    }
}
