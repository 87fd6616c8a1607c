namespace KvmNovaTuner.Integration.Tests.Support;

/// <summary>Files of this checkout (scripts), found by walking up from the test binaries.</summary>
public static class RepoFiles
{
    /// <summary>The full path of <paramref name="relative"/> in the checkout, or null when the tests run outside one.</summary>
    public static string? Find(string relative)
    {
        for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
