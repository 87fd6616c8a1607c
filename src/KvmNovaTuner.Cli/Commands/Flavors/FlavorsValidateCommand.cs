using System.CommandLine;
using System.Text.Json;
using KvmNovaTuner.Core.Plans;
using KvmNovaTuner.Core.Planning;
using KvmNovaTuner.Core.Specs;
using KvmNovaTuner.Core.Text;
using KvmNovaTuner.HostTuning.Flavors;

namespace KvmNovaTuner.Cli.Commands.Flavors;

/// <summary>
/// `flavors validate PATH...`: checks every flavor of every catalog file (directories are searched for *.yaml/*.yml).
/// Prints one line per problem, <c>FILE: FLAVOR: KEY: message</c> (warnings say so); exit 0 when no flavor has an error, else 1.
/// </summary>
public static class FlavorsValidateCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Catalog files or directories of *.yaml files", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "One JSON object per problem: file, flavor, key, severity, message" };
        var command = new Command("validate", "Validate flavor catalog files before they reach Nova") { paths, json };
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var problems = await ValidateAsync(Expand(r.GetValue(paths) ?? []), ct);
            foreach (var (file, problem) in problems)
            {
                Console.WriteLine(r.GetValue(json) ? JsonLine(file, problem) : TextLine(file, problem));
            }
            return problems.Any(p => p.Problem.Severity == DiagnosticSeverity.Error) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    public static async Task<IReadOnlyList<(string File, FlavorProblem Problem)>> ValidateAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var problems = new List<(string, FlavorProblem)>();
        var named = new List<(string File, string Name)>();
        foreach (var file in files)
        {
            FlavorCatalogFile catalog;
            try
            {
                catalog = await FlavorCatalogFile.ReadAsync(file, cancellationToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read {file}: {e.Message}");
            }
            problems.AddRange(catalog.ShapeProblems.Select(p => (file, p)));
            problems.AddRange(catalog.Flavors.SelectMany(FlavorValidator.Validate).Select(p => (file, p)));
            named.AddRange(catalog.Flavors.Where(f => !string.IsNullOrEmpty(f.Name)).Select(f => (file, f.Name!)));
        }
        foreach (var group in named.GroupBy(n => n.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var where = string.Join(", ", group.Select(n => n.File).Distinct());
            problems.Add((group.First().File, new FlavorProblem(group.Key, "name", DiagnosticSeverity.Error, $"is defined {group.Count()} times in the catalog ({where}): a flavor name must be unique")));
        }
        if (named.Count == 0)
        {
            problems.Add((files.Count == 0 ? "(catalog)" : string.Join(", ", files), new FlavorProblem("(catalog)", "flavors", DiagnosticSeverity.Error, "the catalog defines no flavor")));
        }
        return problems;
    }

    /// <summary>One line per problem; control characters from the catalog are escaped, the line is bounded.</summary>
    public static string TextLine(string file, FlavorProblem problem) => Printable.Line(
        $"{file}: {problem.Flavor}: {problem.Key}: {(problem.Severity == DiagnosticSeverity.Warning ? "warning: " : string.Empty)}{problem.Message}");

    private static string JsonLine(string file, FlavorProblem problem) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["file"] = file,
        ["flavor"] = problem.Flavor,
        ["key"] = problem.Key,
        ["severity"] = PlanJson.Severity(problem.Severity),
        ["message"] = problem.Message,
    });

    private static List<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                throw new UsageException($"no such file or directory: {path}");
            }
        }
        return files;
    }
}
