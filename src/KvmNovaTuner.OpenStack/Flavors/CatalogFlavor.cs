namespace KvmNovaTuner.OpenStack.Flavors;

/// <summary>One flavor as the catalog (flavors/*.yaml) declares it, with the file it came from.</summary>
public sealed record CatalogFlavor(string Name, int Vcpus, int RamMb, int DiskGb, string? Description,
    IReadOnlyDictionary<string, string> ExtraSpecs, string SourceFile);
