using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using KvmNovaTuner.HostTuning.Filesystem;
using KvmNovaTuner.HostTuning.Profiles;

namespace KvmNovaTuner.Cli.Commands.Host;

/// <summary>Options and helpers shared by the `host` subcommands.</summary>
internal static class HostOptions
{
    public const string DefaultStateDir = "/var/lib/kvm-nova-tuner";
    public const string DefaultProfileDir = "/etc/kvm-nova-tuner/profiles";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        WriteIndented = false,
    };

    public static Option<string> HostRoot() => new("--host-root")
    {
        Description = "Root directory holding the host's /sys, /proc and /dev (a generated tree in tests)",
        DefaultValueFactory = _ => "/",
    };

    public static Option<string> StateDir() => new("--state-dir")
    {
        Description = "Directory of the store of saved original values",
        DefaultValueFactory = _ => DefaultStateDir,
    };

    public static Option<string[]> ProfileDirs() => new("--profile-dir")
    {
        Description = "Extra directories of *.conf profiles (override the shipped ones)",
        DefaultValueFactory = _ => [DefaultProfileDir],
    };

    public static Option<bool> JsonOutput() => new("--json") { Description = "Machine-readable output" };

    /// <summary>The root as given, or a usage error when the directory does not exist.</summary>
    public static HostRoot OpenRoot(string path) =>
        Directory.Exists(path) ? new HostRoot(path) : throw new UsageException($"--host-root: directory not found: {path}");

    public static async Task<ProfileCatalog> LoadCatalogAsync(string[] directories, CancellationToken cancellationToken)
    {
        try
        {
            return await ProfileCatalog.LoadAsync(directories, cancellationToken);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message);
        }
    }

    public static async Task<HostProfilePlan> PlanAsync(HostRoot root, ProfileCatalog catalog, string profile, CancellationToken cancellationToken,
        IReadOnlyList<Core.HostProfile.GuestHugepageNeed>? guests = null)
    {
        try
        {
            return await ProfilePlanning.PlanAsync(root, catalog, profile, cancellationToken, guests);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            throw new UsageException(e.Message);
        }
    }

    public static string Or(string? value) => value ?? "-";
}
