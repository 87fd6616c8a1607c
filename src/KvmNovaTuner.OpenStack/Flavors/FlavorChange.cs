namespace KvmNovaTuner.OpenStack.Flavors;

/// <summary>What flavor sync would do (or found it cannot do) for one flavor.</summary>
public enum FlavorChangeKind
{
    Create,
    DescriptionChanged,
    ExtraSpecAdded,
    ExtraSpecChanged,
    ExtraSpecRemoved,
    /// <summary>vcpus, ram or disk differ: Nova cannot change them; a new flavor name is suggested.</summary>
    Conflict,
}

/// <summary>One difference between the catalog and the cloud.</summary>
public sealed record FlavorChange(string Flavor, FlavorChangeKind Kind, string? Key = null, string? OldValue = null, string? NewValue = null,
    string? SuggestedName = null)
{
    public string Describe() => Kind switch
    {
        FlavorChangeKind.Create => $"{Flavor}: create",
        FlavorChangeKind.DescriptionChanged => $"{Flavor}: description changes",
        FlavorChangeKind.ExtraSpecAdded => $"{Flavor}: add {Key}={NewValue}",
        FlavorChangeKind.ExtraSpecChanged => $"{Flavor}: change {Key} from {OldValue} to {NewValue}",
        FlavorChangeKind.ExtraSpecRemoved => $"{Flavor}: remove {Key} (was {OldValue})",
        FlavorChangeKind.Conflict => $"{Flavor}: CONFLICT {Key} is {OldValue} in the cloud but {NewValue} in the catalog; "
            + $"Nova cannot change it: give the catalog flavor a new name (suggested: {SuggestedName}) and move servers by resize",
        _ => $"{Flavor}: {Kind}",
    };
}
