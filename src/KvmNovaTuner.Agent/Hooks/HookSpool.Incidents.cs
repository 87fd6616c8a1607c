namespace KvmNovaTuner.Agent.Hooks;

/// <summary>
/// Incident markers: what went wrong in a hook call that still let the guest start (broken configuration, an
/// unexpected error), left in the spool so the agent reports it at its next start even when nobody read syslog.
/// </summary>
public sealed partial class HookSpool
{
    private const string IncidentPrefix = "incident-";
    private const string IncidentSuffix = ".txt";

    /// <summary>Best effort: false when the spool cannot be written (the caller has already logged the line elsewhere).</summary>
    public bool TryWriteIncident(string line, DateTimeOffset at)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            var name = $"{IncidentPrefix}{at.UtcDateTime:yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}{IncidentSuffix}";
            File.WriteAllText(Path.Combine(Directory, name), line + "\n");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The incident lines left by hook calls, oldest first; each file is removed once read.</summary>
    public IReadOnlyList<string> TakeIncidents()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }
        var lines = new List<string>();
        foreach (var file in new DirectoryInfo(Directory).GetFiles(IncidentPrefix + "*" + IncidentSuffix).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            try
            {
                lines.Add(File.ReadAllText(file.FullName).Trim());
                file.Delete();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lines.Add($"incident file {file.FullName} unreadable: {e.Message}");
            }
        }
        return lines;
    }
}
