namespace KvmNovaTuner.Core.HostProfile;

/// <summary>How a managed file shows its value: plain text, or a sysfs choice list with the current one in brackets.</summary>
public enum ItemStyle
{
    Plain,
    Choice,
}

/// <summary>
/// One host value a profile manages: its name in reports, the host path, the value wanted and how to read it.
/// <see cref="Adaptive"/> items get their starting value from the profile, after which a controller owns them
/// (KSM knobs under <c>controller.ksm_adaptive=true</c>): verify does not hold them to the starting value.
/// </summary>
public sealed record ManagedItem(string Name, string HostPath, string Desired, ItemStyle Style, bool Adaptive = false)
{
    /// <summary>The current value shown by the file's text (the bracketed choice for choice files), null when absent.</summary>
    public string? CurrentValue(string? text) => Style == ItemStyle.Choice ? SysfsChoice.Parse(text).Current : text?.Trim();

    /// <summary>True when the file's text shows the desired value.</summary>
    public bool IsSatisfiedBy(string? text) => string.Equals(CurrentValue(text), Desired, StringComparison.Ordinal);
}
