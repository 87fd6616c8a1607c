namespace KvmNovaTuner.HostTuning.Topology;

/// <summary>Reads the current value of a sysfs knob: the bracketed word of a choice list (<c>always [madvise] never</c>) or the trimmed text.</summary>
public static class KernelKnob
{
    public static string Current(string text)
    {
        var open = text.IndexOf('[', StringComparison.Ordinal);
        var close = open < 0 ? -1 : text.IndexOf(']', open + 1);
        return open >= 0 && close > open ? text[(open + 1)..close] : text.Trim();
    }
}
