using System.Reflection;
using KvmNovaTuner.Core.HostProfile;

namespace KvmNovaTuner.HostTuning.Profiles;

/// <summary>
/// The host profiles the tuner knows: the ones shipped in <c>profiles/</c> (embedded in this assembly), overridden or
/// extended by <c>*.conf</c> files in extra directories (e.g. <c>/etc/kvm-nova-tuner/profiles</c>).
/// </summary>
public sealed class ProfileCatalog
{
    private const string ResourcePrefix = "profiles/";
    private const string Extension = ".conf";

    private ProfileCatalog(IReadOnlyDictionary<string, HostProfileDefinition> profiles) => Profiles = profiles;

    public IReadOnlyDictionary<string, HostProfileDefinition> Profiles { get; }

    /// <summary>Loads the shipped profiles, then each directory's in order (a later file replaces one of the same name).</summary>
    public static async Task<ProfileCatalog> LoadAsync(IEnumerable<string> extraDirectories, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(extraDirectories);
        var profiles = new Dictionary<string, HostProfileDefinition>(StringComparer.Ordinal);
        var assembly = typeof(ProfileCatalog).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..^Extension.Length];
            profiles[name] = HostProfileDefinition.Parse(name, await ReadResourceAsync(assembly, resource, cancellationToken).ConfigureAwait(false));
        }
        foreach (var directory in extraDirectories.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*" + Extension).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                profiles[name] = HostProfileDefinition.Parse(name, await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false));
            }
        }
        return new ProfileCatalog(profiles);
    }

    /// <summary>The named profile with its includes resolved.</summary>
    public ResolvedProfile Resolve(string name) => ProfileResolver.Resolve(name, Profiles);

    private static async Task<string> ReadResourceAsync(Assembly assembly, string resource, CancellationToken cancellationToken)
    {
        await using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded profile '{resource}' is missing");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }
}
