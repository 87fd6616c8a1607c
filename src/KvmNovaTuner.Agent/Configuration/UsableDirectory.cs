namespace KvmNovaTuner.Agent.Configuration;

/// <summary>
/// Proves at start that a state or spool directory can be used (created when missing, a file can be written in it),
/// so the agent refuses to start with one line naming the setting instead of failing later with a stack trace.
/// </summary>
public static class UsableDirectory
{
    /// <summary>Throws <see cref="ConfigurationException"/> naming <paramref name="setting"/> and the problem.</summary>
    public static void Require(string setting, string path)
    {
        if (File.Exists(path))
        {
            throw new ConfigurationException($"{setting} = '{path}': is a file, not a directory");
        }
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, $".knt-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{setting} = '{path}': cannot be used ({e.Message})");
        }
    }
}
