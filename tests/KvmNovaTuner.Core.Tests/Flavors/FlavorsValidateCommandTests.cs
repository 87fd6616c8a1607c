using KvmNovaTuner.HostTuning.Flavors;
using KvmNovaTuner.Cli;
using KvmNovaTuner.Cli.Commands.Flavors;
using KvmNovaTuner.Core.Plans;

namespace KvmNovaTuner.Core.Tests.Flavors;

[NonParallelizable]
public sealed class FlavorsValidateCommandTests
{
    private const string BadFile = """
        flavors:
          - name: bad.one
            vcpus: 4
            ram: 4096
            disk: 10
            description: A flavor full of mistakes, one per key, for the validator to find.
            extra_specs:
              hw:cpu_policy: "dedicted"
              hw:mem_page_size: "2mb"
              hw:cpu_realtime: "maybe"
              hw:numa_nodes: "2"
              hw:numa_cpus.0: "0-1"
              hw:numa_mem.0: "2048"
              tuner:disk_cache: "writeback"
              tuner:disk_io: "native"
              tuner:iothread: "2"
              tuner:blkio_weight: "5000"
              tuner:ksm: "sometimes"
              quota:vif_inbound_average: "-5"
              quota:cpu_period: "10"
        """;

    private static readonly string[] BadKeys =
    [
        "hw:cpu_policy", "hw:mem_page_size", "hw:cpu_realtime", "hw:numa_cpus.1", "hw:numa_mem.1", "tuner:disk_io",
        "tuner:iothread", "tuner:blkio_weight", "tuner:ksm", "quota:vif_inbound_average", "quota:cpu_period",
    ];

    private string _dir = null!;

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "knt-flavors-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public async Task Validate_BadFile_NamesEveryBadKeyInOneLineEach()
    {
        var file = Write("bad.yaml", BadFile);
        var problems = await FlavorsValidateCommand.ValidateAsync([file], CancellationToken.None);
        var lines = problems.Where(p => p.Problem.Severity == DiagnosticSeverity.Error).Select(p => FlavorsValidateCommand.TextLine(p.File, p.Problem)).ToList();
        foreach (var key in BadKeys)
        {
            Assert.That(lines, Has.Some.StartsWith($"{file}: bad.one: {key}: "), key);
        }
    }

    [Test]
    public async Task Cli_BadFile_ExitsOneAndPrintsFileFlavorKeyMessage()
    {
        var file = Write("bad.yaml", BadFile);
        var (exit, output) = await RunAsync("flavors", "validate", file);
        Assert.That(exit, Is.EqualTo(ExitCodes.Failure));
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.GreaterThanOrEqualTo(BadKeys.Length));
        Assert.That(lines, Has.All.StartsWith($"{file}: bad.one: "));
    }

    [Test]
    public async Task Cli_TheShippedCatalog_ExitsZero()
    {
        var (exit, output) = await RunAsync("flavors", "validate", RepositoryFiles.FlavorsDir);
        Assert.That(exit, Is.EqualTo(ExitCodes.Success), output);
        Assert.That(output, Is.Empty);
    }

    [Test]
    public async Task Cli_MissingFile_IsAUsageError()
    {
        var (exit, _) = await RunAsync("flavors", "validate", Path.Combine(_dir, "nope.yaml"));
        Assert.That(exit, Is.EqualTo(ExitCodes.Usage));
    }

    [TestCase("just: text", "flavors", "must hold a list under the key 'flavors:'")]
    [TestCase("flavors: [1", "yaml", "is not valid YAML")]
    [TestCase("flavors:\n  - name: x\n    vcpus: four\n    ram: 1\n    disk: 1\n    description: d", "vcpus", "'four' is not a whole number")]
    [TestCase("flavors:\n  - name: x\n    vcpus: 1\n    ram: 1\n    disk: 1\n    description: d\n    swap: 1", "swap", "is not a flavor field")]
    [TestCase("flavors:\n  - name: x\n    vcpus: 1\n    ram: 1\n    disk: 1\n    description: d\n    extra_specs:\n      hw:cpu_policy: [a]", "hw:cpu_policy", "must be a single value")]
    public void Parse_BadShape_IsAProblemNotAnException(string yaml, string key, string message)
    {
        var catalog = FlavorCatalogFile.Parse("f.yaml", yaml);
        Assert.That(catalog.ShapeProblems.Any(p => p.Key == key && p.Message.Contains(message)), Is.True, string.Join(" | ", catalog.ShapeProblems));
    }

    [Test]
    public void Validate_FlavorWithoutDescriptionOrSizes_NamesEachField()
    {
        var problems = Core.Specs.FlavorValidator.Validate(new Core.Specs.FlavorDefinition("f", 0, null, -1, " ", new Dictionary<string, string>()));
        Assert.That(problems.Select(p => p.Key), Is.EquivalentTo(new[] { "vcpus", "ram", "disk", "description" }));
    }

    private const string OneFlavor = """
        flavors:
          - name: kn.same
            vcpus: 2
            ram: 2048
            disk: 10
            description: One flavor.
            extra_specs:
              hw:cpu_policy: "shared"
        """;

    [Test]
    public async Task Cli_EmptyCatalogDirectory_IsAnError()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir, "empty")).FullName;
        var (exit, output) = await RunAsync("flavors", "validate", empty);
        Assert.That(exit, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("the catalog defines no flavor"));
    }

    [Test]
    public async Task Cli_SameFlavorNameInTwoFiles_IsAnErrorNamingBothFiles()
    {
        var first = Write("a.yaml", OneFlavor);
        var second = Write("b.yaml", OneFlavor);
        var (exit, output) = await RunAsync("flavors", "validate", _dir);
        Assert.That(exit, Is.EqualTo(1), output);
        Assert.That(output, Does.Contain("kn.same: name: is defined 2 times in the catalog").And.Contain(first).And.Contain(second));
    }

    [Test]
    public void TextLine_ControlCharactersFromTheCatalog_AreEscaped()
    {
        var line = FlavorsValidateCommand.TextLine("f.yaml", new Core.Specs.FlavorProblem("evil\u001b[31m\nname", "hw:x", DiagnosticSeverity.Error, "bad\u0007"));
        Assert.That(line.Any(c => char.IsControl(c)), Is.False, line);
        Assert.That(line, Does.Contain("\\u001b"));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    internal static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var original = Console.Out;
        var originalError = Console.Error;
        using var output = new StringWriter();
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            var root = new System.CommandLine.RootCommand { FlavorsCommand.Create(), Cli.Commands.Planning.PlanCommand.Create() };
            var exit = await CliRunner.RunAsync(root, args);
            return (exit, output.ToString());
        }
        finally
        {
            Console.SetOut(original);
            Console.SetError(originalError);
        }
    }
}
