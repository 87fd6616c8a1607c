namespace KvmNovaTuner.Core.HostProfile;

/// <summary>A profile with its inheritance chain flattened: the child's settings override its parents'.</summary>
public sealed record ResolvedProfile(string Name, string? Summary, IReadOnlyList<string> Chain, IReadOnlyDictionary<string, string> Settings);

/// <summary>
/// Resolves <c>include</c> inheritance like TuneD: parents first, then each child overrides. An empty value removes
/// an inherited setting (the child stops managing it). Unknown and cyclic includes are errors that name the profile.
/// </summary>
public static class ProfileResolver
{
    public static ResolvedProfile Resolve(string name, IReadOnlyDictionary<string, HostProfileDefinition> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var chain = new List<HostProfileDefinition>();
        var current = name;
        while (current is not null)
        {
            if (!profiles.TryGetValue(current, out var definition))
            {
                var known = string.Join(", ", profiles.Keys.Order(StringComparer.Ordinal));
                throw chain.Count == 0
                    ? new KeyNotFoundException($"unknown profile '{current}' (known: {known})")
                    : new KeyNotFoundException($"profile '{chain[^1].Name}' includes unknown profile '{current}' (known: {known})");
            }
            if (chain.Any(p => p.Name == current))
            {
                throw new InvalidOperationException($"profile '{name}' has an include cycle: {string.Join(" -> ", chain.Select(p => p.Name))} -> {current}");
            }
            chain.Add(definition);
            current = definition.Include;
        }
        chain.Reverse();
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var definition in chain)
        {
            foreach (var (key, value) in definition.Settings)
            {
                if (value.Length == 0)
                {
                    settings.Remove(key);
                }
                else
                {
                    settings[key] = value;
                }
            }
        }
        return new ResolvedProfile(name, chain[^1].Summary, chain.Select(p => p.Name).ToList(), settings);
    }
}
