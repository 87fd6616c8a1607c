namespace KvmNovaTuner.Core.Tests.Flavors;

/// <summary>Finds files of the repository from the test's output directory.</summary>
internal static class RepositoryFiles
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KvmNovaTuner.sln")))
            {
                dir = dir.Parent;
            }
            return dir?.FullName ?? throw new InvalidOperationException("KvmNovaTuner.sln not found above the test directory");
        }
    }

    public static string FlavorsDir => Path.Combine(Root, "flavors");

    public static IReadOnlyList<string> CatalogFiles => [.. Directory.EnumerateFiles(FlavorsDir, "*.yaml").Order(StringComparer.Ordinal)];
}
