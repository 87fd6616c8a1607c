namespace KvmNovaTuner.OpenStack.Flavors;

/// <summary>One validated flavor of the catalog (flavors/*.yaml), with the file it came from.</summary>
public sealed record CatalogFlavor(string Name, int Vcpus, int RamMb, int DiskGb, string? Description,
    IReadOnlyDictionary<string, string> ExtraSpecs, string SourceFile);
