namespace KvmNovaTuner.Agent.Configuration;

/// <summary>Reads the configuration file's bytes, turning every way it can be unusable into one <see cref="ConfigurationException"/> naming it.</summary>
internal static class ConfigurationFile
{
    /// <summary>The file's bytes; null when an optional file is absent.</summary>
    public static byte[]? Read(string path, bool required)
    {
        if (Directory.Exists(path))
        {
            throw new ConfigurationException($"configuration file '{path}' is a directory");
        }
        if (!File.Exists(path))
        {
            return required ? throw new ConfigurationException($"configuration file '{path}' does not exist") : null;
        }
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"configuration file '{path}' cannot be read: {e.Message}");
        }
    }
}
